import { diag } from '../../document/diagnostics';
import { defineNode, type TF, type Tensor } from '../types';
import { fail, isDiagnostic, ok, one } from '../shapes';
import { twiddle } from './dft-matrices';
import { splitComplex } from './modulus';
import { rectifierPytorch, rectifierOnnx } from './rectifier.export';

/** c x, skipping exact zeros and ones so quarter-turn phases stay exact. */
function scaled(tf: TF, x: Tensor, c: number): Tensor | null {
  if (c === 0) return null;
  if (c === 1) return x;
  if (c === -1) return tf.neg(x);
  return tf.mul(x, c);
}

/**
 * ReLU(Re(e^{-i alpha_k} z)) = ReLU(cos(alpha_k) Re z + sin(alpha_k) Im z) for
 * alpha_k = 2 pi k / A, k = 0..A-1, stacked k-major: [k = 0: C channels, k = 1: ...].
 */
export function phaseRelu(tf: TF, re: Tensor, im: Tensor, A: number): Tensor {
  const parts: Tensor[] = [];
  for (let k = 0; k < A; k++) {
    const [c, s] = twiddle(k, A, 1);
    const a = scaled(tf, re, c);
    const b = scaled(tf, im, s);
    parts.push(tf.relu(a && b ? tf.add(a, b) : (a ?? b)!));
  }
  return parts.length === 1 ? parts[0] : tf.concat(parts, re.rank - 1);
}

export const Rectifier = defineNode({
  type: 'Rectifier',
  version: 1,
  pytorch: rectifierPytorch,
  onnx: rectifierOnnx,
  title: 'Rectifier',
  category: 'Nonlinearities',
  doc: {
    summary: 'ReLU, absolute value, or phase-rectified ReLU of a complex map (A phases).',
    formula:
      'relu: max(x, 0);  abs: |x|  (on every channel, real and imaginary parts alike);  phase-relu: ReLU(Re(e^{−iα_k} z)) = ReLU(cos α_k · Re z + sin α_k · Im z), α_k = 2πk/A, k = 0..A−1',
    intuition:
      'The modulus is one way to discard the phase of a wavelet response; a rectifier is the one deep networks use. The phase-rectified ReLU looks at the complex response from A directions in the complex plane and keeps the positive part of each: with A = 4 it gives ReLU(Re), ReLU(Im), ReLU(−Re), ReLU(−Im). As A grows, averaging these over the phases approaches the modulus, so this node lets you compare a rectifier network with a scattering network on equal terms.',
    reference:
      'Mallat, "Understanding deep convolutional networks" (2016); Zarka et al., ICLR 2020; Guth et al. (2021).',
  },
  inputs: [
    {
      name: 'in',
      kinds: ['complex', 'map'],
      doc: 'Complex map [H, W, 2C] (any mode), or a real map (relu and abs only).',
    },
  ],
  outputs: [
    {
      name: 'out',
      kinds: ['map'],
      doc: "Real map: [H, W, A·C] for phase-relu (phase k major, then channel); the input's shape otherwise.",
    },
  ],
  params: {
    mode: {
      kind: 'enum',
      default: 'phase-relu',
      options: ['relu', 'abs', 'phase-relu'],
      help: 'Which non-linearity to apply.',
      main: true,
    },
    A: { kind: 'int', default: 4, min: 1, max: 32, help: 'phase-relu only: number of phases α_k = 2πk/A.', main: true },
  },
  inferShape(p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    if (isDiagnostic(x)) return fail(x);
    if (p.mode !== 'phase-relu') return ok({ out: { kind: 'map', shape: x.shape } });
    if (x.kind !== 'complex') {
      return fail(
        diag('port-kind-mismatch', `phase-relu needs a complex map, but input "in" receives a ${x.kind}.`, {
          nodeId: ctx.nodeId,
          nodeTitle: this.title,
          port: 'in',
          fix: 'Connect the output of a Wavelet convolution, or set mode to "relu" or "abs".',
        }),
      );
    }
    const shape = [...x.shape];
    shape[shape.length - 1] = (shape[shape.length - 1] / 2) * p.A;
    return ok({ out: { kind: 'map', shape } });
  },
  lower({ params: p, ctx }) {
    const { tf } = ctx;
    return {
      apply: (ins) => {
        const x = ins.in[0];
        if (p.mode === 'relu') return { out: tf.relu(x) };
        if (p.mode === 'abs') return { out: tf.abs(x) };
        const [re, im] = splitComplex(tf, x);
        return { out: phaseRelu(tf, re, im, p.A) };
      },
    };
  },
});
