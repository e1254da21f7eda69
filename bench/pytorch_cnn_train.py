"""templates/cnn.json written by hand in PyTorch and trained the way idiomatic PyTorch code does:
the reference that bench/export.sh times the exported train.py against, under the same launcher.

  python3 bench/pytorch_cnn_train.py [--epochs 1] [--threads N]
  torchrun --standalone --nproc_per_node=2 bench/pytorch_cnn_train.py --threads 1

Fashion-MNIST from /usr/share/datasets/fashion-mnist (or $WAVEGRAPH_FASHION_MNIST), global batch
128, Adam 1e-3, a DistributedSampler and DistributedDataParallel (gloo) under torchrun. Like
train.py it times the training loop only (not loading or evaluation) and rank 0 prints one JSON
line per epoch: {"epoch", "loss", "testAcc", "samplesPerSec", "seconds"}.
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data.distributed import DistributedSampler


def idx(path):
    with open(path, 'rb') as f:
        b = gzip.decompress(f.read())
    rank = b[3]
    dims = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], 'big') for i in range(rank)]
    return np.frombuffer(b, np.uint8, offset=4 + 4 * rank).reshape(dims)


def split(folder, name):
    x = idx(os.path.join(folder, f'{name}-images-idx3-ubyte.gz')).astype(np.float32)[:, None] / 255
    return x, idx(os.path.join(folder, f'{name}-labels-idx1-ubyte.gz')).astype(np.int64)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--epochs', type=int, default=1)
    p.add_argument('--batch', type=int, default=128, help='global batch')
    p.add_argument('--threads', type=int)
    p.add_argument('--limit', type=int, help='keep the first N training images')
    args = p.parse_args()
    world, rank = int(os.environ.get('WORLD_SIZE', '1')), int(os.environ.get('RANK', '0'))
    if args.threads:
        torch.set_num_threads(args.threads)
    if world > 1:
        dist.init_process_group('gloo')
    torch.manual_seed(1)
    folder = os.environ.get('WAVEGRAPH_FASHION_MNIST', '/usr/share/datasets/fashion-mnist')
    (xtr, ytr), (xte, yte) = split(folder, 'train'), split(folder, 't10k')
    xtr, ytr = xtr[:args.limit], ytr[:args.limit]

    model = nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10),
    )
    net = DistributedDataParallel(model) if world > 1 else model
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    local = args.batch // world
    sampler = DistributedSampler(range(len(ytr)), num_replicas=world, rank=rank, shuffle=True, seed=1, drop_last=True)
    steps = len(sampler) // local
    for epoch in range(1, args.epochs + 1):
        sampler.set_epoch(epoch)
        order = np.fromiter(iter(sampler), dtype=np.int64)
        total = torch.zeros(())
        start = time.time()
        for s in range(steps):
            i = order[s * local:(s + 1) * local]
            loss = F.cross_entropy(net(torch.from_numpy(xtr[i])), torch.from_numpy(ytr[i]))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.detach()
        seconds = time.time() - start
        if world > 1:
            dist.all_reduce(total)
        if rank == 0:
            model.eval()
            with torch.no_grad():
                correct = sum(int((model(torch.from_numpy(xte[i:i + 1000])).argmax(1) == torch.from_numpy(yte[i:i + 1000])).sum())
                              for i in range(0, len(yte), 1000))
            model.train()
            print(json.dumps({'epoch': epoch, 'loss': float(total) / (steps * world), 'testAcc': correct / len(yte),
                              'samplesPerSec': steps * args.batch / seconds, 'seconds': seconds}), flush=True)
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == '__main__':
    main()
