/**
 * ISTC outside Wavegraph, with λ₀ measured on the first training batch when its
 * param is 0 (then kept with the weights, as Wavegraph does).
 */
import type { OnnxWriter, PytorchWriter } from '../types';
import { geometryOf } from './layout';
import { onnxFromRows, onnxToRows } from './rows-onnx';

interface P {
  iterations: number;
  atoms: number;
  layout: string;
  encoder: string;
  lambda0: number;
}

export const istcPytorch: PytorchWriter<P> = {
  className: 'ISTC',
  source: `class ISTC(nn.Module):
    """N thresholding steps with unit-norm atoms and thresholds λ_n = λ₀ (λ*/λ₀)^(n/N)."""

    def __init__(self, c, m, iterations, free, per_pixel, measure_lambda0):
        super().__init__()
        self.iterations, self.per_pixel, self.measure = iterations, per_pixel, measure_lambda0
        self.dictionary = nn.Parameter(torch.zeros(c, m))
        self.encoder = nn.Parameter(torch.zeros(c, m)) if free else None
        self.lambda_star = nn.Parameter(torch.zeros(()))
        self.register_buffer('lambda0', torch.zeros(()))

    def forward(self, x):
        eps = 1e-8
        rows = to_rows(x, self.per_pixel)
        dn = self.dictionary / torch.clamp(self.dictionary.norm(dim=0, keepdim=True), min=eps)
        w = dn
        if self.encoder is not None:
            inner = (self.encoder * dn).sum(0, keepdim=True)
            w = self.encoder / torch.where(inner.abs() >= eps, inner, torch.full_like(inner, eps))
        drive = rows @ w
        measured = drive.abs().max(1).values.mean()
        l0 = torch.where(self.lambda0 > 0, self.lambda0, measured)
        if self.training and self.measure:
            with torch.no_grad():
                self.lambda0.copy_(l0)
        ls = torch.clamp(self.lambda_star, min=1e-6)
        z = None
        for n in range(1, self.iterations + 1):
            t = n / self.iterations
            lam = l0 ** (1 - t) * ls ** t
            v = drive if z is None else z + (rows - z @ dn.t()) @ w
            z = F.relu(v - lam)
        recon = z @ dn.t()
        return {'code': from_rows(z, x, self.per_pixel), 'reconstruction': from_rows(recon, x, self.per_pixel)}
`,
  args: ({ params: p, inputs }) => {
    const { dim } = geometryOf(inputs.in[0], p.layout);
    return {
      c: dim,
      m: p.atoms,
      iterations: p.iterations,
      free: p.encoder === 'free',
      per_pixel: p.layout === 'per-pixel',
      measure_lambda0: p.lambda0 === 0,
    };
  },
};

export const istcOnnx: OnnxWriter<P> = {
  write({ params: p, inputs: specs }, inputs, b) {
    const spec = specs.in[0];
    const { dim: c } = geometryOf(spec, p.layout);
    const m = p.atoms;
    const perPixel = p.layout === 'per-pixel';
    const rows = onnxToRows(b, inputs.in[0], c, perPixel);
    // The atoms are fixed at inference: normalize them here, in float32 as Wavegraph does.
    const D = b.weight('dictionary').data;
    const norms = new Float32Array(m);
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let i = 0; i < c; i++) s += D[i * m + j] * D[i * m + j];
      norms[j] = Math.max(Math.fround(Math.sqrt(s)), 1e-8);
    }
    const Dn = Float32Array.from(D, (v, k) => v / norms[k % m]);
    let W = Dn;
    if (p.encoder === 'free') {
      const E = b.weight('encoder').data;
      const inner = new Float32Array(m);
      for (let i = 0; i < c; i++) for (let j = 0; j < m; j++) inner[j] += E[i * m + j] * Dn[i * m + j];
      W = Float32Array.from(E, (v, k) => v / (Math.abs(inner[k % m]) >= 1e-8 ? inner[k % m] : 1e-8));
    }
    const DnT = new Float32Array(m * c);
    for (let i = 0; i < c; i++) for (let j = 0; j < m; j++) DnT[j * c + i] = Dn[i * m + j];
    const w = b.constant(W, [c, m]);
    const dnT = b.constant(DnT, [m, c]);
    const drive = b.op('MatMul', [rows, w])[0];
    const measured = b.op('ReduceMean', [b.op('ReduceMax', [b.op('Abs', [drive])[0]], { axes: [1], keepdims: 0 })[0]], {
      keepdims: 0,
    })[0];
    const l0w = b.weight('lambda0');
    const l0 = l0w.data[0] > 0 ? b.constant([l0w.data[0]], []) : measured;
    const ls = Math.max(b.weight('lambda_star').data[0], 1e-6);
    let z: string | null = null;
    for (let n = 1; n <= p.iterations; n++) {
      const t = n / p.iterations;
      const lam = b.op('Mul', [
        b.op('Pow', [l0, b.constant([1 - t], [])])[0],
        b.constant([Math.fround(ls) ** t], []),
      ])[0];
      const v: string = z
        ? b.op('Add', [z, b.op('MatMul', [b.op('Sub', [rows, b.op('MatMul', [z, dnT])[0]])[0], w])[0]])[0]
        : drive;
      z = b.op('Relu', [b.op('Sub', [v, lam])[0]])[0];
    }
    const recon = b.op('MatMul', [z!, dnT])[0];
    return { code: onnxFromRows(b, z!, spec, m, perPixel), reconstruction: onnxFromRows(b, recon, spec, c, perPixel) };
  },
};
