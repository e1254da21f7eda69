/**
 * train.py of an exported package: the graph's training settings as defaults, the
 * datasets Wavegraph knows read with the same rules in plain numpy, a frozen front
 * end computed once, and one code path for one process and for torchrun
 * (DistributedDataParallel: gloo on CPU, nccl on CUDA).
 */
import type { TrainSettings } from '../4-train';

export interface TrainDefaults {
  settings: TrainSettings & { schedule?: string };
  dataset: string;
}

export function writeTrainPy(d: TrainDefaults): string {
  const s = d.settings;
  const defaults = {
    dataset: d.dataset,
    optimizer: s.optimizer,
    lr: s.learningRate,
    momentum: s.momentum,
    batch: s.batchSize,
    epochs: s.epochs,
    seed: s.seed,
    schedule: s.schedule ?? 'constant',
  };
  return TEMPLATE.replace(
    '__DEFAULTS__',
    JSON.stringify(defaults, null, 4)
      .replace(/\btrue\b/g, 'True')
      .replace(/\bfalse\b/g, 'False'),
  );
}

const TEMPLATE = `#!/usr/bin/env python3
"""Train the exported graph, on one process or under torchrun (DistributedDataParallel).

  python3 train.py --data fashion-mnist
  torchrun --standalone --nproc_per_node=2 train.py --data fashion-mnist

--batch is the global batch: each of N processes takes batch / N samples per step, and
the gradients are averaged, so N processes take the same steps as one (BatchNorm uses
the statistics of the global batch). Rank 0 alone logs, evaluates and saves.
"""
import argparse
import gzip
import json
import math
import os
import sys
import time

try:
    import numpy as np
    import torch
except ImportError as e:
    sys.exit(f'train.py needs {e.name}: install it with "pip install torch numpy" '
             '(Debian/Ubuntu: "sudo apt-get install python3-torch python3-numpy").')
import torch.distributed as dist

from model import HERE, Model, load_weights, save_weights

DEFAULTS = __DEFAULTS__

FOLDERS = {
    'fashion-mnist': ('WAVEGRAPH_FASHION_MNIST', '/usr/share/datasets/fashion-mnist'),
    'mnist': ('WAVEGRAPH_MNIST', None),
    'cifar10': ('WAVEGRAPH_CIFAR10', None),
}


# ---- datasets: the rules of Wavegraph's loaders, in numpy -------------------------------

def read_bytes(path):
    with open(path, 'rb') as f:
        raw = f.read()
    return gzip.decompress(raw) if raw[:2] == b'\\x1f\\x8b' else raw


def parse_idx(path, rank):
    b = read_bytes(path)
    if len(b) < 4 or b[0] != 0 or b[1] != 0 or b[2] != 8 or b[3] != rank:
        raise SystemExit(f'{path} is not an IDX file of unsigned bytes with {rank} dimensions')
    dims = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], 'big') for i in range(rank)]
    data = np.frombuffer(b, np.uint8, offset=4 + 4 * rank)
    if data.size != int(np.prod(dims)):
        raise SystemExit(f'{path} is truncated: {data.size} values for dimensions {dims}')
    return data.reshape(dims)


def idx_files(folder):
    found = {}
    for name in sorted(os.listdir(folder), key=len, reverse=True):  # raw wins over .gz
        low = name.lower()
        for split in ('train', 't10k'):
            for kind in ('images', 'labels'):
                if low.startswith(f'{split}-{kind}') and ('idx' in low):
                    found[(split, kind)] = os.path.join(folder, name)
    return found if len(found) == 4 else None


def load_idx(files):
    out = {}
    for split, key in (('train', 'train'), ('t10k', 'test')):
        x = parse_idx(files[(split, 'images')], 3).astype(np.float32) / 255
        y = parse_idx(files[(split, 'labels')], 1).astype(np.int64)
        out[key] = (x[..., None], y)
    return out


def cifar_files(folder):
    inner = os.path.join(folder, 'cifar-10-batches-bin')
    if os.path.isdir(inner):
        folder = inner
    names = os.listdir(folder)
    train = sorted(n for n in names if n.startswith('data_batch_') and n.endswith('.bin'))
    if not train or 'test_batch.bin' not in names:
        return None
    return [os.path.join(folder, n) for n in train], os.path.join(folder, 'test_batch.bin')


def load_cifar(files):
    def split(paths):
        rec = np.concatenate([np.frombuffer(read_bytes(p), np.uint8).reshape(-1, 3073) for p in paths])
        x = rec[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).astype(np.float32) / 255
        return x, rec[:, 0].astype(np.int64)
    return {'train': split(files[0]), 'test': split([files[1]])}


def load_npy(folder):
    """A folder with train-images.npy, train-labels.npy, test-images.npy, test-labels.npy."""
    out = {}
    for key in ('train', 'test'):
        x = np.load(os.path.join(folder, f'{key}-images.npy'))
        y = np.load(os.path.join(folder, f'{key}-labels.npy')).astype(np.int64)
        x = x.astype(np.float32) / 255 if x.dtype == np.uint8 else x.astype(np.float32)
        out[key] = (x[..., None] if x.ndim == 3 else x, y)
    return out


def load_dataset(spec, data_dir=None):
    """Images [N, H, W, C] float32 in [0, 1] and labels, as Wavegraph's loaders give them."""
    name = spec.strip().lower().replace('_', '-')
    name = {'fashionmnist': 'fashion-mnist', 'cifar-10': 'cifar10'}.get(name, name)
    if name in FOLDERS:
        env, default = FOLDERS[name]
        folder = data_dir or os.environ.get(env) or default
        if not folder or not os.path.isdir(folder):
            raise SystemExit(f'{spec}: no folder for it; pass --data-dir DIR or set {env}=DIR')
    elif name == 'synthetic':
        raise SystemExit('the synthetic dataset exists only inside Wavegraph; use a real one or a folder')
    else:
        folder = spec
        if not os.path.isdir(folder):
            raise SystemExit(f'there is no dataset named "{spec}" and no folder {folder}')
    if name == 'cifar10' or (name not in FOLDERS and cifar_files(folder)):
        files = cifar_files(folder)
        if not files:
            raise SystemExit(f'{folder} has no data_batch_N.bin and test_batch.bin')
        return load_cifar(files)
    files = idx_files(folder)
    if files:
        return load_idx(files)
    if os.path.exists(os.path.join(folder, 'train-images.npy')):
        return load_npy(folder)
    raise SystemExit(f'{folder} holds neither IDX files, CIFAR-10 binaries nor train/test-images.npy and -labels.npy')


# ---- training ----------------------------------------------------------------------------

def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', default=DEFAULTS['dataset'], help='fashion-mnist, mnist, cifar10, or a folder (default: %(default)s)')
    p.add_argument('--data-dir', help='folder of a named dataset')
    p.add_argument('--epochs', type=int, default=DEFAULTS['epochs'])
    p.add_argument('--batch', type=int, default=DEFAULTS['batch'], help='global batch over all processes (default: %(default)s)')
    p.add_argument('--lr', type=float, default=DEFAULTS['lr'])
    p.add_argument('--optimizer', choices=['adam', 'sgd'], default=DEFAULTS['optimizer'])
    p.add_argument('--momentum', type=float, default=DEFAULTS['momentum'], help='SGD momentum')
    p.add_argument('--schedule', choices=['constant', 'cosine'], default=DEFAULTS['schedule'])
    p.add_argument('--seed', type=int, default=DEFAULTS['seed'])
    p.add_argument('--limit', type=int, help='keep the first N training images')
    p.add_argument('--test-limit', type=int, help='keep the first N test images')
    p.add_argument('--device', help='cpu, cuda, cuda:1 ... (default: cuda when available)')
    p.add_argument('--weights', default=os.path.join(HERE, 'weights'), help='start from these Wavegraph weights (default: the exported ones)')
    p.add_argument('--save', help='write the trained weights here (weights.json + weights.bin)')
    p.add_argument('--evaluate', action='store_true', help='print the test accuracy of --weights, no training')
    p.add_argument('--json', action='store_true', help='one JSON object per epoch, then a final line')
    p.add_argument('--steps', action='store_true', help='with --json, also one object per step (loss)')
    p.add_argument('--threads', type=int, help='torch CPU threads per process')
    return p.parse_args()


def learning_rate(args, step, total):
    if args.schedule != 'cosine' or total <= 1:
        return args.lr
    return args.lr * 0.5 * (1 + math.cos(math.pi * min(step, total) / total))


@torch.no_grad()
def compute_front(model, images, device, batch=256):
    """The frozen front end of every image, once (kept on the device)."""
    outs = []
    for i in range(0, len(images), batch):
        x = torch.from_numpy(images[i:i + batch]).permute(0, 3, 1, 2).to(device)
        outs.append(model.front(x))
    return tuple(torch.cat([o[k] for o in outs]) for k in range(len(outs[0])))


class Inputs:
    """Batches of model inputs: the cached front end, or images moved to NCHW."""

    def __init__(self, model, images, device):
        self.device = device
        self.front = compute_front(model, images, device) if model.HAS_FRONT else None
        self.images = images

    def batch(self, idx):
        if self.front is not None:
            i = torch.as_tensor(idx, device=self.device)
            return tuple(t.index_select(0, i) for t in self.front), True
        return torch.from_numpy(self.images[idx]).permute(0, 3, 1, 2).to(self.device), False


@torch.no_grad()
def evaluate(model, inputs, labels, batch):
    model.eval()
    correct = 0
    for i in range(0, len(labels), batch):
        idx = np.arange(i, min(i + batch, len(labels)))
        x, ff = inputs.batch(idx)
        scores = model(x, from_front=ff)
        correct += int(model.correct(scores, torch.as_tensor(labels[idx], device=scores.device)).item())
    model.train()
    return correct / max(1, len(labels))


def main():
    args = parse_args()
    world = int(os.environ.get('WORLD_SIZE', '1'))
    rank = int(os.environ.get('RANK', '0'))
    local = int(os.environ.get('LOCAL_RANK', '0'))
    if args.threads:
        torch.set_num_threads(args.threads)
    cuda = torch.cuda.is_available() if args.device is None else args.device.startswith('cuda')
    device = torch.device(f'cuda:{local}' if cuda and world > 1 else (args.device or ('cuda' if cuda else 'cpu')))
    if world > 1:
        dist.init_process_group('nccl' if device.type == 'cuda' else 'gloo')
        if device.type == 'cuda':
            torch.cuda.set_device(device)
    if args.batch % world:
        raise SystemExit(f'--batch {args.batch} must be a multiple of the {world} processes')
    main_rank = rank == 0
    torch.manual_seed(args.seed)

    data = load_dataset(args.data, args.data_dir)
    (xtr, ytr), (xte, yte) = data['train'], data['test']
    if args.limit is not None:
        xtr, ytr = xtr[:args.limit], ytr[:args.limit]
    if args.test_limit is not None:
        xte, yte = xte[:args.test_limit], yte[:args.test_limit]
    want = Model.INPUT_SHAPE
    got = (xtr.shape[3], xtr.shape[1], xtr.shape[2])
    if got != want:
        raise SystemExit(f'the images are {got[1]}x{got[2]}x{got[0]} but the graph expects {want[1]}x{want[2]}x{want[0]} (H x W x C)')

    model = Model()
    if args.weights and os.path.exists(os.path.join(args.weights, 'weights.json')):
        load_weights(model, args.weights)
    elif args.weights != os.path.join(HERE, 'weights'):
        raise SystemExit(f'no Wavegraph weights (weights.json + weights.bin) in {args.weights}')
    model.to(device).train()
    t0 = time.time()
    train_in = Inputs(model, xtr, device)
    test_in = Inputs(model, xte, device)
    if main_rank and not args.json and model.HAS_FRONT:
        print(f'Frozen front end ready in {time.time() - t0:.1f} s; training the rest.', flush=True)
    if args.evaluate:
        if main_rank:
            acc = evaluate(model, test_in, yte, args.batch)
            print(json.dumps({'testAcc': acc}) if args.json else f'Test accuracy: {100 * acc:.2f}%')
        return finish(world)

    net = model
    if world > 1:
        from torch.nn.parallel import DistributedDataParallel
        net = DistributedDataParallel(model, device_ids=[device.index] if device.type == 'cuda' else None)
    params = [p for p in model.parameters() if p.requires_grad]
    if args.optimizer == 'adam':
        # TensorFlow.js's Adam, as Wavegraph trains: epsilon 1e-7
        opt = torch.optim.Adam(params, lr=args.lr, betas=(0.9, 0.999), eps=1e-7)
    else:
        opt = torch.optim.SGD(params, lr=args.lr, momentum=args.momentum)
    local_batch = args.batch // world
    from torch.utils.data.distributed import DistributedSampler
    sampler = DistributedSampler(range(len(ytr)), num_replicas=world, rank=rank, shuffle=True, seed=args.seed, drop_last=True)
    steps = len(sampler) // local_batch
    total = steps * args.epochs
    labels = torch.from_numpy(ytr).to(device)
    step_no = 0
    final = float('nan')
    for epoch in range(1, args.epochs + 1):
        sampler.set_epoch(epoch)
        order = np.fromiter(iter(sampler), dtype=np.int64)
        start = time.time()
        loss_sum = correct_sum = seen = 0.0
        for s in range(steps):
            idx = order[s * local_batch:(s + 1) * local_batch]
            x, ff = train_in.batch(idx)
            y = labels[torch.as_tensor(idx, device=device)]
            for g in opt.param_groups:
                g['lr'] = learning_rate(args, step_no, total)
            scores = net(x, from_front=ff)
            loss = model.loss(scores, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step_no += 1
            stats = torch.stack([loss.detach() * len(idx), model.correct(scores, y).float(), torch.tensor(float(len(idx)), device=device)])
            if world > 1:
                dist.all_reduce(stats)
            l, c, n = stats.tolist()
            if not math.isfinite(l) or abs(l / n) > 1e6:
                raise SystemExit(f'training diverged at epoch {epoch}, step {s + 1}: the loss became {l / n}; lower --lr')
            loss_sum += l
            correct_sum += c
            seen += n
            if main_rank and args.json and args.steps:
                print(json.dumps({'step': step_no, 'loss': l / n}), flush=True)
        seconds = time.time() - start
        acc = evaluate(model, test_in, yte, args.batch) if main_rank else float('nan')
        final = acc
        if main_rank:
            rec = {'epoch': epoch, 'loss': loss_sum / max(1, seen), 'trainAcc': correct_sum / max(1, seen), 'testAcc': acc,
                   'samplesPerSec': seen / max(1e-9, seconds), 'seconds': seconds, 'backend': f'torch-{device.type}' + (f'-ddp{world}' if world > 1 else '')}
            if args.json:
                print(json.dumps(rec), flush=True)
            else:
                print(f"epoch {epoch}/{args.epochs}  loss {rec['loss']:.4f}  train acc {100 * rec['trainAcc']:.2f}%  "
                      f"test acc {100 * acc:.2f}%  {rec['samplesPerSec']:.0f} samples/s  ({seconds:.1f} s)", flush=True)
    if main_rank and args.save:
        save_weights(model, args.save)
        if not args.json:
            print(f'Weights saved to {args.save}')
    if main_rank:
        backend = f'torch-{device.type}' + (f'-ddp{world}' if world > 1 else '')
        print(json.dumps({'final': True, 'testAcc': final, 'backend': backend, 'epochs': args.epochs}) if args.json
              else f'Final test accuracy: {100 * final:.2f}%')
    return finish(world)


def finish(world):
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == '__main__':
    main()
`;
