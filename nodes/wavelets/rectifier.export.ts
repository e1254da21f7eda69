/** Rectifier outside Wavegraph: relu, abs, or the phase-rectified ReLU over A phases (phase major). */
import type { OnnxWriter, PytorchWriter } from '../types';
import { twiddle } from './dft-matrices';

interface P {
  mode: string;
  A: number;
}

const phases = (A: number) => Array.from({ length: A }, (_, k) => twiddle(k, A, 1));

export const rectifierPytorch: PytorchWriter<P> = {
  className: 'Rectifier',
  source: `class Rectifier(nn.Module):
    """relu, abs, or ReLU(cos α_k · Re z + sin α_k · Im z) for the listed (cos α_k, sin α_k)."""

    def __init__(self, mode, phases):
        super().__init__()
        self.mode, self.phases = mode, phases

    def forward(self, x):
        if self.mode == 'relu':
            return F.relu(x)
        if self.mode == 'abs':
            return x.abs()
        c = x.shape[1] // 2
        re, im = x[:, :c], x[:, c:]
        parts = []
        for cs, sn in self.phases:
            terms = [t for t in (cs * re if cs else None, sn * im if sn else None) if t is not None]
            parts.append(F.relu(terms[0] + terms[1] if len(terms) == 2 else terms[0]))
        return torch.cat(parts, 1)
`,
  args: ({ params: p }) => ({ mode: p.mode, phases: p.mode === 'phase-relu' ? phases(p.A) : [] }),
};

export const rectifierOnnx: OnnxWriter<P> = {
  write({ params: p, inputs: specs }, inputs, b) {
    const x = inputs.in[0];
    if (p.mode === 'relu') return { out: b.op('Relu', [x])[0] };
    if (p.mode === 'abs') return { out: b.op('Abs', [x])[0] };
    const shape = specs.in[0].shape;
    const c = shape[shape.length - 1] / 2;
    const [re, im] = b.op('Split', [x, b.constant([c, c], [2], true)], { axis: 1 }, 2);
    const parts = phases(p.A).map(([cs, sn]) => {
      const a = cs ? b.op('Mul', [re, b.constant([cs], [1])])[0] : null;
      const d = sn ? b.op('Mul', [im, b.constant([sn], [1])])[0] : null;
      return b.op('Relu', [a && d ? b.op('Add', [a, d])[0] : (a ?? d)!])[0];
    });
    return { out: parts.length === 1 ? parts[0] : b.op('Concat', parts, { axis: 1 })[0] };
  },
};
