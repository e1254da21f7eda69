/**
 * The part of model.py that is the same for every graph: imports, the row helpers
 * the sparse layers share, reflect-padding indices, the global-batch statistics used
 * under DistributedDataParallel, and Wavegraph's weights format (weights.json +
 * weights.bin: a manifest of named float32 tensors and one little-endian blob).
 */
export const PYTHON_COMMON = `import json
import os
import warnings
import weakref

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def to_rows(x, per_pixel):
    """[B, C, H, W] -> [B·H·W, C] (every pixel a row), or [B, D] unchanged."""
    return x.permute(0, 2, 3, 1).reshape(-1, x.shape[1]) if per_pixel else x.reshape(x.shape[0], -1)


def from_rows(rows, like, per_pixel):
    """Rows back to [B, M, H, W] shaped like \`like\`, or [B, M]."""
    if not per_pixel:
        return rows.reshape(like.shape[0], -1)
    b, _, h, w = like.shape
    return rows.reshape(b, h, w, -1).permute(0, 3, 1, 2)


def reflect_index(n, before, total):
    """Source indices of numpy's "reflect" padding (no repeated edge), also for pads wider than n."""
    period = 2 * (n - 1)
    out = []
    for k in range(total):
        i = 0 if n == 1 else (k - before) % period
        out.append(i if i < n else period - i)
    return torch.tensor(out, dtype=torch.long)


def ifft_at(y, rows, cols):
    """Inverse 2D FFT of spectra y [..., H, W] at rows r0 + rs·i (i < rn) and columns c0 + cs·j (j < cn).

    Samples on a grid coarser by (rs, cs) are the inverse FFT of the periodized spectrum, which has
    rs·cs times fewer points: x[rs·n] = IFFT_{H/rs}(mean over m of Y[k + m·H/rs])[n].
    """
    (r0, rs, rn), (c0, cs, cn) = rows, cols
    h, w = y.shape[-2:]
    if (rs > 1 or cs > 1) and h % rs == 0 and w % cs == 0 and r0 % rs == 0 and c0 % cs == 0:
        y = y.reshape(*y.shape[:-2], rs, h // rs, cs, w // cs).mean((-4, -2))
        r0, c0, rs, cs = r0 // rs, c0 // cs, 1, 1
    return torch.fft.ifft2(y)[..., r0:r0 + rs * rn:rs, c0:c0 + cs * cn:cs]


_fft_memo = {}


def fft2_of(x):
    """torch.fft.fft2(x), once per input tensor when no gradient is taken: the parts of a
    scattering transform read the same padded image and the same moduli several times."""
    if torch.is_grad_enabled() and x.requires_grad:
        return torch.fft.fft2(x)
    hit = _fft_memo.get(id(x))
    if hit is not None and hit[0]() is x and hit[1] == x._version:
        return hit[2]
    for k in [k for k, v in _fft_memo.items() if v[0]() is None]:
        del _fft_memo[k]
    y = torch.fft.fft2(x)
    if len(_fft_memo) < 64:
        _fft_memo[id(x)] = (weakref.ref(x), x._version, y)
    return y


def filter_at(x, psi, rows, cols):
    """ifft_at(x.unsqueeze(2) * psi, rows, cols): spectra x [B, C, H, W] times filter spectra psi [F, H, W],
    back in space at the given rows and columns, as [B, C, F, rn, cn] complex.

    When the output is subsampled, each coarse frequency sums its rs·cs aliases: one complex matrix
    product per frequency, instead of the whole [B, C, F, H, W] product followed by a mean.
    """
    (r0, rs, rn), (c0, cs, cn) = rows, cols
    b, c, h, w = x.shape
    if (rs > 1 or cs > 1) and h % rs == 0 and w % cs == 0 and r0 % rs == 0 and c0 % cs == 0:
        hk, wk = h // rs, w // cs
        xa = x.reshape(b * c, rs, hk, cs, wk).permute(2, 4, 0, 1, 3).reshape(hk * wk, b * c, rs * cs)
        pa = psi.to(x.dtype).reshape(-1, rs, hk, cs, wk).permute(2, 4, 1, 3, 0).reshape(hk * wk, rs * cs, -1) / (rs * cs)
        y = torch.bmm(xa, pa).reshape(hk, wk, b, c, -1).permute(2, 3, 4, 0, 1)
        return torch.fft.ifft2(y)[..., r0 // rs:r0 // rs + rn, c0 // cs:c0 // cs + cn]
    return ifft_at(x.unsqueeze(2) * psi, rows, cols)


def world_size():
    d = torch.distributed
    return d.get_world_size() if d.is_available() and d.is_initialized() else 1


def global_mean(t, world):
    """Mean of t over the processes of a distributed run (differentiable), so BatchNorm sees the global batch."""
    if world == 1:
        return t
    from torch.distributed.nn import all_reduce
    return all_reduce(t) / world


def read_arrays(folder, stem):
    """Named float32 arrays of <stem>.json + <stem>.bin (Wavegraph's weights format)."""
    with open(os.path.join(folder, stem + '.json')) as f:
        manifest = json.load(f)
    if manifest.get('format') != 'wavegraph-weights':
        raise ValueError(f'{folder}/{stem}.json is not a Wavegraph weights manifest')
    blob = np.fromfile(os.path.join(folder, stem + '.bin'), dtype='<f4')
    out = {}
    for key, t in manifest['tensors'].items():
        out[key] = blob[t['offset']:t['offset'] + t['length']].reshape(t['shape'])
    return out


def write_arrays(folder, stem, arrays, graph=None):
    os.makedirs(folder, exist_ok=True)
    manifest = {'format': 'wavegraph-weights', 'version': 1, 'tensors': {}}
    if graph:
        manifest['graph'] = graph
    offset, parts = 0, []
    for key, a in arrays.items():
        a = np.asarray(a, dtype='<f4', order='C')  # ascontiguousarray would turn a scalar into shape [1]
        manifest['tensors'][key] = {'shape': list(a.shape), 'offset': offset, 'length': int(a.size)}
        offset += a.size
        parts.append(a.reshape(-1))
    (np.concatenate(parts) if parts else np.zeros(0, '<f4')).tofile(os.path.join(folder, stem + '.bin'))
    with open(os.path.join(folder, stem + '.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
        f.write('\\n')


def wavegraph_key(name):
    """PyTorch state name -> Wavegraph weight name: 'code_norm.gamma' -> 'code-norm/gamma'."""
    head, _, rest = name.partition('.')
    return '/'.join([NODE_IDS.get(head, head)] + (rest.split('.') if rest else []))


def load_weights(model, folder):
    """Load Wavegraph weights (weights.json + weights.bin); refuse those of another graph, naming the differences."""
    arrays = read_arrays(folder, 'weights')
    state = model.state_dict()
    names = {wavegraph_key(k): k for k in state}
    missing = sorted(set(names) - set(arrays))
    unknown = sorted(set(arrays) - set(names))
    if missing or unknown:
        raise ValueError(f'the weights in {folder} belong to another graph: missing {missing or "none"}; not in this graph {unknown or "none"}')
    for key, k in names.items():
        if tuple(arrays[key].shape) != tuple(state[k].shape):
            raise ValueError(f'the weight "{key}" in {folder} has shape {list(arrays[key].shape)}, this graph needs {list(state[k].shape)}')
    model.load_state_dict({k: torch.from_numpy(arrays[key].copy()) for key, k in names.items()})


def save_weights(model, folder):
    """Write the model's weights in Wavegraph's format, under Wavegraph's names."""
    state = model.state_dict()
    write_arrays(folder, 'weights', {wavegraph_key(k): v.detach().cpu().float().numpy() for k, v in state.items()}, GRAPH_NAME)


def load_constants(model, folder=HERE):
    """Fill the fixed buffers that are not weights (low-pass spectra) from constants.json + constants.bin."""
    if not os.path.exists(os.path.join(folder, 'constants.json')):
        return
    arrays = read_arrays(folder, 'constants')
    with torch.no_grad():
        for name, buf in model.named_buffers():
            key = wavegraph_key(name)
            if key in arrays:
                buf.copy_(torch.from_numpy(arrays[key].copy()))
`;
