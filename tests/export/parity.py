"""Run an exported model on the images a test wrote; write what PyTorch computes.

usage: parity.py PACKAGE WORK LR OPTIMIZER
WORK holds images.bin (float32 [B, H, W, C]), labels.bin (int32), shape.json; this
writes result.json (scores in both modes, the loss) and WORK/after/ (weights after one step).
"""
import json
import os
import sys

import numpy as np
import torch

pkg, work, lr, optimizer = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
sys.path.insert(0, pkg)
import model as M  # noqa: E402

torch.set_num_threads(1)
shape = json.load(open(os.path.join(work, 'shape.json')))
x = torch.from_numpy(np.fromfile(os.path.join(work, 'images.bin'), '<f4').reshape(shape)).permute(0, 3, 1, 2).contiguous()
y = torch.from_numpy(np.fromfile(os.path.join(work, 'labels.bin'), '<i4').astype(np.int64))
m = M.Model.from_wavegraph()
m.eval()
with torch.no_grad():
    inference = m(x)
m.train()
params = [p for p in m.parameters() if p.requires_grad]
opt = torch.optim.Adam(params, lr=lr, eps=1e-7) if optimizer == 'adam' else torch.optim.SGD(params, lr=lr, momentum=0.9)
scores = m(x)
loss = m.loss(scores, y)
opt.zero_grad()
loss.backward()
opt.step()
M.save_weights(m, os.path.join(work, 'after'))
json.dump({'inference': inference.flatten().tolist(), 'training': scores.detach().flatten().tolist(), 'loss': loss.item()},
          open(os.path.join(work, 'result.json'), 'w'))
