/**
 * PhaseHarmonic outside Wavegraph. PyTorch keeps the polar form with safe inputs at
 * z = 0 (Wavegraph's gradient is finite there); ONNX has no atan2, so cos kφ and sin kφ
 * come from cos φ = x/|z|, sin φ = y/|z| by the angle-addition recursion.
 */
import type { OnnxWriter, PytorchWriter } from '../types';

interface P {
  k: number;
}

export const phaseHarmonicPytorch: PytorchWriter<P> = {
  className: 'PhaseHarmonic',
  source: `class PhaseHarmonic(nn.Module):
    """[z]^k = |z| e^{ik·phase(z)} of [B, 2C, h, w] (C real parts, then C imaginary parts)."""

    def __init__(self, k):
        super().__init__()
        self.k = k

    def forward(self, z):
        if self.k == 1:
            return z
        c = z.shape[1] // 2
        x, y = z[:, :c], z[:, c:]
        s = x * x + y * y
        inside = s > 0  # at z = 0 the output is 0 and the gradient stays finite, as in Wavegraph
        r = torch.where(inside, torch.sqrt(torch.where(inside, s, torch.ones_like(s))), torch.zeros_like(s))
        phi = torch.atan2(torch.where(inside, y, torch.zeros_like(y)), torch.where(inside, x, torch.ones_like(x)))
        return torch.cat([r * torch.cos(self.k * phi), r * torch.sin(self.k * phi)], 1)
`,
  args: ({ params: p }) => ({ k: p.k }),
};

export const phaseHarmonicOnnx: OnnxWriter<P> = {
  write({ params: p, inputs: specs }, inputs, b) {
    const z = inputs.in[0];
    if (p.k === 1) return { out: b.op('Identity', [z])[0] };
    const shape = specs.in[0].shape;
    const c = shape[shape.length - 1] / 2;
    const [x, y] = b.op('Split', [z, b.constant([c, c], [2], true)], { axis: 1 }, 2);
    const mul = (a: string, d: string) => b.op('Mul', [a, d])[0];
    const s = b.op('Add', [mul(x, x), mul(y, y)])[0];
    const r = b.op('Sqrt', [s])[0];
    const inside = b.op('Greater', [r, b.constant([0], [1])])[0];
    const safe = b.op('Where', [inside, r, b.constant([1], [1])])[0];
    // cos φ and sin φ, with φ = 0 where z = 0 (the output is 0 there anyway).
    const cos1 = b.op('Where', [inside, b.op('Div', [x, safe])[0], b.constant([1], [1])])[0];
    const sin1 = b.op('Div', [y, safe])[0];
    let cosK = b.constant([1], [1]);
    let sinK = b.op('Mul', [sin1, b.constant([0], [1])])[0];
    for (let i = 0; i < p.k; i++) {
      const nextCos = b.op('Sub', [mul(cosK, cos1), mul(sinK, sin1)])[0];
      sinK = b.op('Add', [mul(sinK, cos1), mul(cosK, sin1)])[0];
      cosK = nextCos;
    }
    return { out: b.op('Concat', [mul(r, cosK), mul(r, sinK)], { axis: 1 })[0] };
  },
};
