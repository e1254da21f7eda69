/** Max and average pooling outside Wavegraph, with TensorFlow's "same" padding rule. */
import type { OnnxWriter, PytorchWriter } from '../types';
import { convPads } from './conv2d.export';

interface P {
  size: number;
  stride: number;
  padding: string;
}

const geometry = (p: P, shape: number[]) => {
  const s = p.stride || p.size;
  return { size: p.size, stride: s, pad: convPads(shape[0], shape[1], p.size, s, p.padding) };
};

export const maxPoolPytorch: PytorchWriter<P> = {
  className: 'MaxPool',
  source: `class MaxPool(nn.Module):
    """Largest value per window; pad = (left, right, top, bottom), padded samples never win."""

    def __init__(self, size, stride, pad):
        super().__init__()
        self.size, self.stride, self.pad = size, stride, tuple(pad)

    def forward(self, x):
        if any(self.pad):
            x = F.pad(x, self.pad, value=float('-inf'))
        return F.max_pool2d(x, self.size, self.stride)
`,
  args: ({ params, inputs }) => geometry(params, inputs.in[0].shape),
};

export const avgPoolPytorch: PytorchWriter<P> = {
  className: 'AvgPool',
  source: `class AvgPool(nn.Module):
    """Mean per window; with "same" padding the mean is over the samples inside the map, as in TensorFlow."""

    def __init__(self, size, stride, pad):
        super().__init__()
        self.size, self.stride, self.pad = size, stride, tuple(pad)

    def forward(self, x):
        if not any(self.pad):
            return F.avg_pool2d(x, self.size, self.stride)
        inside = F.pad(torch.ones_like(x[:1, :1]), self.pad)
        return F.avg_pool2d(F.pad(x, self.pad), self.size, self.stride) / F.avg_pool2d(inside, self.size, self.stride)
`,
  args: ({ params, inputs }) => geometry(params, inputs.in[0].shape),
};

function onnxPool(type: 'MaxPool' | 'AveragePool'): OnnxWriter<P> {
  return {
    write({ params, inputs: specs }, inputs, b) {
      const g = geometry(params, specs.in[0].shape);
      const [l, r, t, bo] = g.pad;
      const attrs = { kernel_shape: [g.size, g.size], strides: [g.stride, g.stride], pads: [t, l, bo, r] };
      return { out: b.op(type, inputs.in, type === 'AveragePool' ? { ...attrs, count_include_pad: 0 } : attrs)[0] };
    },
  };
}

export const maxPoolOnnx = onnxPool('MaxPool');
export const avgPoolOnnx = onnxPool('AveragePool');
