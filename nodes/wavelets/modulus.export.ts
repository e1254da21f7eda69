/** Modulus outside Wavegraph: channel c pairs with channel c + C; gradient 0 where |z| = 0, as in Wavegraph. */
import type { OnnxWriter, PytorchWriter } from '../types';

export const modulusPytorch: PytorchWriter<object> = {
  className: 'Modulus',
  source: `class Modulus(nn.Module):
    """|z| of [B, 2C, h, w] (C real parts, then C imaginary parts) -> [B, C, h, w]."""

    def forward(self, z):
        c = z.shape[1] // 2
        if not (torch.is_grad_enabled() and z.requires_grad):
            return torch.hypot(z[:, :c], z[:, c:])
        s = z[:, :c] ** 2 + z[:, c:] ** 2
        inside = s > 0  # sqrt's own gradient is infinite at 0; Wavegraph's is 0 there
        return torch.where(inside, torch.sqrt(torch.where(inside, s, torch.ones_like(s))), torch.zeros_like(s))
`,
  args: () => ({}),
};

export const modulusOnnx: OnnxWriter<object> = {
  write({ inputs: specs }, inputs, b) {
    const shape = specs.in[0].shape;
    const c = shape[shape.length - 1] / 2;
    const [re, im] = b.op('Split', [inputs.in[0], b.constant([c, c], [2], true)], { axis: 1 }, 2);
    const s = b.op('Add', [b.op('Mul', [re, re])[0], b.op('Mul', [im, im])[0]])[0];
    return { out: b.op('Sqrt', [s])[0] };
  },
};
