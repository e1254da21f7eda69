/**
 * BatchNorm outside Wavegraph, with its running statistics rule (a plain mean over the
 * first 1/(1 − momentum) batches, then an exponential average of the unbiased batch
 * variance). Under DistributedDataParallel the batch statistics are those of the
 * global batch (two differentiable all-reduces), so N processes train like one.
 */
import type { OnnxWriter, PytorchWriter } from '../types';

interface P {
  momentum: number;
  epsilon: number;
  affine: boolean;
}

export const batchNormPytorch: PytorchWriter<P> = {
  className: 'BatchNorm',
  source: `class BatchNorm(nn.Module):
    """Per-channel standardization (channel axis 1) with Wavegraph's running statistics."""

    def __init__(self, channels, momentum, epsilon, affine):
        super().__init__()
        self.momentum, self.epsilon = momentum, epsilon
        self.register_buffer('moving_mean', torch.zeros(channels))
        self.register_buffer('moving_variance', torch.ones(channels))
        self.register_buffer('updates', torch.zeros(1))
        self.gamma = nn.Parameter(torch.ones(channels)) if affine else None
        self.beta = nn.Parameter(torch.zeros(channels)) if affine else None

    def forward(self, x):
        dims = [0] + list(range(2, x.dim()))
        shape = [1, -1] + [1] * (x.dim() - 2)
        if self.training:
            size = x.numel() // x.shape[1]
            world = world_size()
            m = global_mean(x.mean(dims), world)
            v = global_mean(((x - m.view(shape)) ** 2).mean(dims), world)
            size *= world
            with torch.no_grad():
                n = self.updates + 1
                keep = torch.clamp(self.updates / n, max=self.momentum)
                unbiased = v * (size / (size - 1)) if size > 1 else v
                self.moving_mean.copy_(self.moving_mean * keep + m * (1 - keep))
                self.moving_variance.copy_(self.moving_variance * keep + unbiased * (1 - keep))
                self.updates.copy_(n)
        else:
            m, v = self.moving_mean, self.moving_variance
        y = (x - m.view(shape)) * torch.rsqrt(v.view(shape) + self.epsilon)
        if self.gamma is not None:
            y = y * self.gamma.view(shape) + self.beta.view(shape)
        return y
`,
  args: ({ params: p, inputs }) => {
    const s = inputs.in[0].shape;
    return { channels: s[s.length - 1], momentum: p.momentum, epsilon: p.epsilon, affine: p.affine };
  },
};

export const batchNormOnnx: OnnxWriter<P> = {
  write({ params: p, inputs: specs }, inputs, b) {
    const rank = specs.in[0].shape.length;
    const c = specs.in[0].shape[rank - 1];
    const shape = rank === 1 ? [1, c] : [1, c, 1, 1];
    const reshaped = (name: string) => {
      const w = b.weight(name);
      return b.constant(w.data, shape);
    };
    const centred = b.op('Sub', [inputs.in[0], reshaped('moving_mean')])[0];
    const v = b.op('Add', [reshaped('moving_variance'), b.constant([p.epsilon], [1])])[0];
    const inv = b.op('Reciprocal', [b.op('Sqrt', [v])[0]])[0];
    let y = b.op('Mul', [centred, inv])[0];
    if (p.affine) y = b.op('Add', [b.op('Mul', [y, reshaped('gamma')])[0], reshaped('beta')])[0];
    return { out: y };
  },
};
