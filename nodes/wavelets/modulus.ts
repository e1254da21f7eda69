import { defineNode, type TF, type Tensor } from '../types';
import { expectKind, fail, isDiagnostic, ok, one } from '../shapes';
import { modulusPytorch, modulusOnnx } from './modulus.export';

/**
 * |z| of a channel-last complex map [.., 2C] -> [.., C]: sqrt(re^2 + im^2), with the
 * gradient (re, im) / |z| set to zero where |z| = 0, so a zero response never turns
 * into NaN (the plain sqrt gradient is infinite there). The real and imaginary halves
 * are summed as the middle axis of [N, 2, C] and the gradient is one broadcast product,
 * rather than by splitting the channel axis (slow on WASM, where a slice copies the
 * whole tensor) or by a 0/1 pairing matrix (a product of 2C x C multiply-adds per value).
 */
export function complexModulus(tf: TF, z: Tensor): Tensor {
  const C = z.shape[z.rank - 1] / 2;
  const N = z.size / (2 * C);
  const outShape = [...z.shape.slice(0, -1), C];
  const op = tf.customGrad((...args) => {
    const [zi, save] = args as [Tensor, (ts: Tensor[]) => void];
    const m = tf.reshape(tf.sqrt(tf.sum(tf.reshape(tf.square(zi), [N, 2, C]), 1)), outShape);
    save([zi, m]);
    return {
      value: m,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [zs, ms] = saved;
        const scale = tf.reshape(zeroSafeQuotient(tf, dy, ms), [N, 1, C]);
        return [tf.reshape(tf.mul(tf.reshape(zs, [N, 2, C]), scale), zs.shape)];
      },
    };
  });
  return op(z) as Tensor;
}

/**
 * dy / m for m >= 0, and +0 where m = 0: the numbers of tf.divNoNan (for a finite dy),
 * without its equality test and selection, which the WASM backend runs about 30 times
 * slower than arithmetic (18 of the 25 ms of the deepest modulus gradient of a
 * learned-first-layer step). With s = step(m) (1 where m > 0, else 0): dy / (m + 1 - s)
 * is dy / m exactly where m > 0 (m + 0) and dy where m = 0; times s, plus 0 (which
 * turns the -0 of a negative dy into +0).
 */
function zeroSafeQuotient(tf: TF, dy: Tensor, m: Tensor): Tensor {
  const s = tf.step(m);
  return tf.add(tf.mul(tf.div(dy, tf.add(m, tf.sub(1, s))), s), 0);
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
