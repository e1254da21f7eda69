/** ReflectPad outside Wavegraph: numpy's "reflect" as gathered indices (works for pads wider than the image). */
import type { OnnxWriter, PytorchWriter } from '../types';
import { padBefore, padSize } from '../math/filter-bank';
import { reflectIndex } from '../math/scattering-reference';
import { onnxGatherPad } from './spectral-onnx';

/** Source indices of a reflect-padded axis. */
export function reflectIndices(n: number, before: number, total: number): number[] {
  return Array.from({ length: total }, (_, k) => reflectIndex(k - before, n));
}

export const reflectPadPytorch: PytorchWriter<{ J: number }> = {
  className: 'ReflectPad',
  source: `class ReflectPad(nn.Module):
    """Mirror-pads [B, C, h, w] to [B, C, hp, wp] with top rows and left columns first (numpy's "reflect")."""

    def __init__(self, h, w, top, left, hp, wp):
        super().__init__()
        self.register_buffer('rows', reflect_index(h, top, hp), persistent=False)
        self.register_buffer('cols', reflect_index(w, left, wp), persistent=False)

    def forward(self, x):
        return x.index_select(2, self.rows).index_select(3, self.cols)
`,
  args: ({ params: p, inputs }) => {
    const [h, w] = inputs.in[0].shape;
    return { h, w, top: padBefore(h, p.J), left: padBefore(w, p.J), hp: padSize(h, p.J), wp: padSize(w, p.J) };
  },
};

export const reflectPadOnnx: OnnxWriter<{ J: number }> = {
  write({ params: p, inputs: specs }, inputs, b) {
    const [h, w] = specs.in[0].shape;
    return {
      out: onnxGatherPad(
        b,
        inputs.in[0],
        reflectIndices(h, padBefore(h, p.J), padSize(h, p.J)),
        reflectIndices(w, padBefore(w, p.J), padSize(w, p.J)),
      ),
    };
  },
};
