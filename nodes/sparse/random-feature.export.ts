/** RandomFeature outside Wavegraph: fixed noise G as a buffer, learned factor Q; x Wᵀ = (x Qᵀ) Gᵀ. */
import type { OnnxWriter, PytorchWriter } from '../types';
import { onnxFromRows, onnxToRows } from './rows-onnx';

interface P {
  width: number;
  rank: number;
  nonlinearity: string;
  bias: boolean;
}

export const randomFeaturePytorch: PytorchWriter<P> = {
  className: 'RandomFeature',
  source: `class RandomFeature(nn.Module):
    """W = noise · factor (noise [N, r] fixed, factor [r, D] learned); y = σ(x Wᵀ + b), per pixel on a map."""

    def __init__(self, d, r, n, bias, nonlinearity):
        super().__init__()
        self.nonlinearity = nonlinearity
        self.register_buffer('noise', torch.zeros(n, r))
        self.factor = nn.Parameter(torch.zeros(r, d))
        self.bias = nn.Parameter(torch.zeros(n)) if bias else None

    def forward(self, x):
        per_pixel = x.dim() == 4
        y = (to_rows(x, per_pixel) @ self.factor.t()) @ self.noise.t()
        if self.bias is not None:
            y = y + self.bias
        if self.nonlinearity == 'relu':
            y = F.relu(y)
        elif self.nonlinearity == 'abs':
            y = y.abs()
        return from_rows(y, x, per_pixel)
`,
  args: ({ params: p, inputs }) => {
    const s = inputs.in[0].shape;
    const d = s[s.length - 1];
    return { d, r: p.rank || d, n: p.width, bias: p.bias, nonlinearity: p.nonlinearity };
  },
};

export const randomFeatureOnnx: OnnxWriter<P> = {
  write({ params: p, inputs: specs }, inputs, b) {
    const spec = specs.in[0];
    const perPixel = spec.shape.length === 3;
    const d = spec.shape[spec.shape.length - 1];
    const rows = onnxToRows(b, inputs.in[0], d, perPixel);
    const t = (name: string) => {
      const w = b.weight(name);
      const [r, c] = w.shape;
      const out = new Float32Array(w.data.length);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = w.data[i * c + j];
      return b.constant(out, [c, r]);
    };
    let y = b.op('MatMul', [b.op('MatMul', [rows, t('factor')])[0], t('noise')])[0];
    if (p.bias) y = b.op('Add', [y, b.weight('bias').name])[0];
    if (p.nonlinearity === 'relu') y = b.op('Relu', [y])[0];
    else if (p.nonlinearity === 'abs') y = b.op('Abs', [y])[0];
    return { out: onnxFromRows(b, y, spec, p.width, perPixel) };
  },
};
