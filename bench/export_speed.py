"""Speed of exported PyTorch code beside its hand-written equivalent, in one process.

  python3 bench/export_speed.py train PACKAGE THREADS STEPS
      training steps/s of the exported cnn (model.py) and of the same network written by
      hand (bench/pytorch_cnn.py's), batch 128, Adam, alternating so load hits both alike.
  torchrun --standalone --nproc_per_node=N bench/export_speed.py ddp PACKAGE THREADS STEPS
      the same under DistributedDataParallel (gloo): global batch 128, each process its share,
      the two networks' steps alternating, so a shared machine's changing load hits both alike.
  python3 bench/export_speed.py scatter PACKAGE THREADS BATCH REPEATS
      images/s of the exported Scattering2D forward on 28 x 28 images.
Prints one JSON line.
"""
import json
import os
import sys
import time

import torch
import torch.nn as nn

mode, pkg, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, pkg)
import model as M  # noqa: E402

torch.set_num_threads(threads)
torch.manual_seed(0)

if mode in ('train', 'ddp'):
    steps = int(sys.argv[4])
    world = int(os.environ.get('WORLD_SIZE', '1'))
    if mode == 'ddp':
        torch.distributed.init_process_group('gloo')
    hand = nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10),
    )
    exported = M.Model.from_wavegraph()
    x = torch.rand(128 // world, 1, 28, 28)
    y = torch.randint(0, 10, (128 // world,))
    ddp = nn.parallel.DistributedDataParallel if mode == 'ddp' else (lambda m: m)
    nets = {'handWritten': (ddp(hand), nn.CrossEntropyLoss()), 'exported': (ddp(exported), exported.loss)}
    opts = {k: torch.optim.Adam(n.parameters(), lr=1e-3) for k, (n, _) in nets.items()}
    spent = {k: 0.0 for k in nets}
    for rnd in range(steps + 2):
        for k, (net, loss_fn) in nets.items():
            t = time.perf_counter()
            opts[k].zero_grad()
            loss_fn(net(x), y).backward()
            opts[k].step()
            if rnd >= 2:  # warm-up
                spent[k] += time.perf_counter() - t
    out = {k + 'SamplesPerSec': 128 * steps / v for k, v in spent.items()}
    out['ratio'] = out['exportedSamplesPerSec'] / out['handWrittenSamplesPerSec']
    out['processes'] = world
    if mode == 'ddp' and torch.distributed.get_rank() != 0:
        sys.exit()
else:
    batch, repeats = int(sys.argv[4]), int(sys.argv[5])
    m = M.Model().eval()
    x = torch.rand(batch, 1, 28, 28)
    with torch.no_grad():
        m.scattering(x)
        t = time.perf_counter()
        for _ in range(repeats):
            m.scattering(x)
        out = {'imagesPerSec': batch * repeats / (time.perf_counter() - t)}
out['threads'] = threads
print(json.dumps(out))
