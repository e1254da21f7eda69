/** LowPass outside Wavegraph: the Gaussian's spectrum φ is a fixed buffer (constants.bin), applied by FFT. */
import type { OnnxWriter, PytorchWriter } from '../types';
import { phiLevelTransposed } from './filters';
import { lowPassGeometry } from './wavelet-geometry';
import { reflectIndices, reflectPadPytorch } from './reflect-pad.export';
import { onnxDft2, onnxGatherPad, onnxInverseAt } from './spectral-onnx';
import { gridPad, slice } from './wavelet-conv.export';

interface P {
  J: number;
  padding: string;
  resolution: number;
  unpad: boolean;
  subsample: boolean;
  band: string;
}

function geometry(p: P, h: number, w: number) {
  const g = lowPassGeometry(p, h, w);
  if ('message' in g) throw new Error(g.message);
  return g;
}

/** The spectrum applied on the node's grid, [gridH, gridW] row-major: φ_J, or 1 − φ_J for the high band. */
function phi(p: P, h: number, w: number): Float32Array {
  const g = geometry(p, h, w);
  const t = phiLevelTransposed(g.M, g.N, p.J, g.r);
  const high = p.band === 'high';
  const out = new Float32Array(g.gridH * g.gridW);
  for (let u = 0; u < g.gridH; u++)
    for (let v = 0; v < g.gridW; v++) out[u * g.gridW + v] = high ? 1 - t[v * g.gridH + u] : t[v * g.gridH + u];
  return out;
}

export const lowPassPytorch: PytorchWriter<P> = {
  className: 'LowPass',
  uses: [reflectPadPytorch],
  source: `class LowPass(nn.Module):
    """Circular convolution with the Gaussian φ_J (its spectrum phi, a fixed buffer), then subsampling."""

    def __init__(self, grid, pad, rows, cols):
        super().__init__()
        self.register_buffer('phi', torch.zeros(*grid), persistent=False)
        self.rows, self.cols = rows, cols
        self.pad = ReflectPad(*pad) if pad else None

    def forward(self, x):
        if self.pad is not None:
            x = self.pad(x)
        return filter_at(fft2_of(x), self.phi.unsqueeze(0), self.rows, self.cols)[:, :, 0].real
`,
  args: ({ params: p, inputs }) => {
    const [h, w] = inputs.in[0].shape;
    const g = geometry(p, h, w);
    return { grid: [g.gridH, g.gridW], pad: gridPad(g, h, w), rows: slice(g.rows), cols: slice(g.cols) };
  },
  constants: ({ params: p, inputs }) => {
    const [h, w] = inputs.in[0].shape;
    const g = geometry(p, h, w);
    return [{ name: 'phi', shape: [g.gridH, g.gridW], data: phi(p, h, w) }];
  },
};

export const lowPassOnnx: OnnxWriter<P> = {
  write({ params: p, inputs: specs }, inputs, b) {
    const [h, w] = specs.in[0].shape;
    const g = geometry(p, h, w);
    const x = g.pad
      ? onnxGatherPad(b, inputs.in[0], reflectIndices(h, g.pad.top, g.gridH), reflectIndices(w, g.pad.left, g.gridW))
      : inputs.in[0];
    const X = onnxDft2(b, x, g.gridH, g.gridW);
    const f = b.constant(phi(p, h, w), [g.gridH, g.gridW]);
    const Y = { re: b.op('Mul', [X.re, f])[0], im: b.op('Mul', [X.im, f])[0] };
    return { out: onnxInverseAt(b, Y, g.gridH, g.gridW, g.rows, g.cols, true) as string };
  },
};
