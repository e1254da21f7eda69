"""PyTorch CPU reference for templates/cnn.json: the same network, Adam 1e-3, batch 128.

Prints one JSON line: {"samplesPerSec": ..., "threads": ...}. Used by `npm run bench`
to put Wavegraph's training throughput side by side with PyTorch's on this machine.
"""
import json
import sys
import time

import torch
import torch.nn as nn

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
device = sys.argv[3] if len(sys.argv) > 3 else "cpu"
if device == "cuda" and not torch.cuda.is_available():
    sys.exit("torch sees no CUDA device")
torch.set_num_threads(threads)
torch.manual_seed(0)

model = nn.Sequential(
    nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10),
).to(device)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
batch = 128
x = torch.rand(batch, 1, 28, 28, device=device)
y = torch.randint(0, 10, (batch,), device=device)


def step():
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    return loss.item()


for _ in range(3):
    step()
t0 = time.perf_counter()
for _ in range(steps):
    step()  # loss.item() waits for the device, so every step is complete
dt = time.perf_counter() - t0
info = {"samplesPerSec": steps * batch / dt, "threads": threads, "device": device}
if device == "cuda":
    info["card"] = torch.cuda.get_device_name(0)
print(json.dumps(info))
