import { defineNode, type TF, type Tensor } from '../types';
import { expectKind, fail, isDiagnostic, ok, one } from '../shapes';
import { transposed } from '../math/matmul-ops';
import { modulusPytorch, modulusOnnx } from './modulus.export';

const pairings = new Map<number, Float32Array>();

/** [2C, C] with ones at (c, c) and (C + c, c): sums each real part with its imaginary part. */
function pairing(C: number): Float32Array {
  let p = pairings.get(C);
  if (!p) {
    p = new Float32Array(2 * C * C);
    for (let c = 0; c < C; c++) {
      p[c * C + c] = 1;
      p[(C + c) * C + c] = 1;
    }
    pairings.set(C, p);
  }
  return p;
}

/**
 * |z| of a channel-last complex map [.., 2C] -> [.., C]: sqrt(re^2 + im^2), with the
 * gradient (re, im) / |z| set to zero where |z| = 0, so a zero response never turns
 * into NaN (the plain sqrt gradient is infinite there). Real and imaginary parts are
 * paired by a 0/1 matrix product rather than by splitting the channel axis, which is
 * slow on the WASM backend; the sums are exact (the other terms are exact zeros).
 */
export function complexModulus(tf: TF, z: Tensor): Tensor {
  const C = z.shape[z.rank - 1] / 2;
  const outShape = [...z.shape.slice(0, -1), C];
  const op = tf.customGrad((...args) => {
    const [zi, save] = args as [Tensor, (ts: Tensor[]) => void];
    const P = tf.tensor2d(pairing(C), [2 * C, C]);
    const m = tf.reshape(tf.sqrt(tf.matMul(tf.reshape(tf.square(zi), [-1, 2 * C]), P)), outShape);
    save([zi, m]);
    return {
      value: m,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [zs, ms] = saved;
        // Pᵀ stored as such: a product with a transposed operand is slow on WASM
        const scale = tf.matMul(
          tf.reshape(tf.divNoNan(dy, ms), [-1, C]),
          tf.tensor2d(transposed(pairing(C), 2 * C, C), [C, 2 * C]),
        );
        return [tf.mul(tf.reshape(scale, zs.shape), zs)];
      },
    };
  });
  return op(z) as Tensor;
}

/** Split a channel-last complex map [.., 2C] into its real and imaginary halves. */
export function splitComplex(tf: TF, z: Tensor): [Tensor, Tensor] {
  const [re, im] = tf.split(z, 2, z.rank - 1);
  return [re, im];
}

export const Modulus = defineNode({
  type: 'Modulus',
  version: 1,
  pytorch: modulusPytorch,
  onnx: modulusOnnx,
  title: 'Modulus',
  category: 'Nonlinearities',
  doc: {
    summary: 'Magnitude of a complex map: how strongly each wavelet responds, whatever the phase.',
    formula: '|z| = √(Re(z)² + Im(z)²) per channel (gradient 0 at z = 0)',
    intuition:
      'A wavelet response oscillates: it is positive, negative, then positive again as you slide along an edge. The modulus keeps only its envelope, the local amount of that pattern. This removes the phase, which is what moves when the image shifts a little, and it pushes the energy to low frequencies where the next averaging keeps it.',
    reference: 'Mallat, "Group invariant scattering" (2012); Bruna & Mallat (2013).',
  },
  inputs: [{ name: 'in', kinds: ['complex'], doc: 'Complex map [H, W, 2C]: C real parts then C imaginary parts.' }],
  outputs: [{ name: 'out', kinds: ['map'], doc: 'Real map [H, W, C].' }],
  params: {},
  inferShape(_p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    if (isDiagnostic(x)) return fail(x);
    const bad = expectKind(
      x,
      ['complex'],
      ctx,
      this.title,
      'in',
      'Connect the output of a Wavelet convolution; for a real map use Absolute value.',
    );
    if (bad) return fail(bad);
    const shape = [...x.shape];
    shape[shape.length - 1] /= 2;
    return ok({ out: { kind: 'map', shape } });
  },
  lower({ ctx }) {
    const { tf } = ctx;
    return {
      apply: (ins) => ({ out: complexModulus(tf, ins.in[0]) }),
    };
  },
});
