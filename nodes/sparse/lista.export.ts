/** LISTA outside Wavegraph: tied weights stay one parameter used at every step. */
import type { OnnxWriter, PytorchWriter } from '../types';
import { geometryOf } from './layout';
import { onnxFromRows, onnxToRows } from './rows-onnx';

interface P {
  K: number;
  atoms: number;
  layout: string;
  threshold: string;
  weights: string;
}

export const listaPytorch: PytorchWriter<P> = {
  className: 'LISTA',
  source: `class LISTA(nn.Module):
    """K unrolled ISTA steps; row convention x · encoder, z · lateral. Tied: one encoder, tau, lateral."""

    def __init__(self, c, m, steps, tied, signed, per_pixel):
        super().__init__()
        self.steps, self.tied, self.signed, self.per_pixel, self.m = steps, tied, signed, per_pixel, m
        self.register_buffer('dictionary', torch.zeros(c, m))  # fixed D
        for k in range(1 if tied else steps + 1):
            suffix = '' if tied else f'_{k}'
            setattr(self, 'encoder' + suffix, nn.Parameter(torch.zeros(c, m)))
            setattr(self, 'tau' + suffix, nn.Parameter(torch.zeros(m)))
        for k in range(1, 2 if tied else steps + 1):
            setattr(self, 'lateral' + ('' if tied else f'_{k}'), nn.Parameter(torch.zeros(m, m)))

    def part(self, name, k):
        return getattr(self, name if self.tied else f'{name}_{k}')

    def threshold(self, v, tau):
        pos = F.relu(v - tau)
        return pos - F.relu(-v - tau) if self.signed else pos

    def forward(self, x):
        rows = to_rows(x, self.per_pixel)
        drive = rows @ self.encoder if self.tied else None
        z = self.threshold(drive if self.tied else rows @ self.encoder_0, self.part('tau', 0))
        for k in range(1, self.steps + 1):
            d = drive if self.tied else rows @ self.part('encoder', k)
            z = self.threshold(d + z @ self.part('lateral', k), self.part('tau', k))
        recon = z @ self.dictionary.t()
        return {'code': from_rows(z, x, self.per_pixel), 'reconstruction': recon.reshape(x.shape) if not self.per_pixel else from_rows(recon, x, True)}
`,
  args: ({ params: p, inputs }) => {
    const { dim } = geometryOf(inputs.in[0], p.layout);
    return {
      c: dim,
      m: p.atoms,
      steps: p.K,
      tied: p.weights === 'tied',
      signed: p.threshold === 'signed',
      per_pixel: p.layout === 'per-pixel',
    };
  },
};

export const listaOnnx: OnnxWriter<P> = {
  write({ params: p, inputs: specs }, inputs, b) {
    const spec = specs.in[0];
    const { dim } = geometryOf(spec, p.layout);
    const perPixel = p.layout === 'per-pixel';
    const rows = onnxToRows(b, inputs.in[0], dim, perPixel);
    const tied = p.weights === 'tied';
    const w = (name: string, k: number) => b.weight(tied ? name : `${name}_${k}`).name;
    const threshold = (v: string, tau: string) => {
      const pos = b.op('Relu', [b.op('Sub', [v, tau])[0]])[0];
      if (p.threshold !== 'signed') return pos;
      return b.op('Sub', [pos, b.op('Relu', [b.op('Sub', [b.op('Neg', [v])[0], tau])[0]])[0]])[0];
    };
    const driveAt = (k: number) => b.op('MatMul', [rows, w('encoder', k)])[0];
    const drive = tied ? driveAt(0) : null;
    let z = threshold(drive ?? driveAt(0), w('tau', 0));
    for (let k = 1; k <= p.K; k++) {
      const v = b.op('Add', [drive ?? driveAt(k), b.op('MatMul', [z, w('lateral', k)])[0]])[0];
      z = threshold(v, w('tau', k));
    }
    const dict = b.weight('dictionary');
    const dt = new Float32Array(dict.data.length);
    const [c, m] = dict.shape;
    for (let i = 0; i < c; i++) for (let j = 0; j < m; j++) dt[j * c + i] = dict.data[i * m + j];
    const recon = b.op('MatMul', [z, b.constant(dt, [m, c])])[0];
    return {
      code: onnxFromRows(b, z, spec, p.atoms, perPixel),
      reconstruction: onnxFromRows(b, recon, spec, c, perPixel),
    };
  },
};
