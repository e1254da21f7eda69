import { defineNode, type TF, type Tensor } from '../types';
import { expectKind, fail, isDiagnostic, ok, one } from '../shapes';
import { modulusPytorch, modulusOnnx } from './modulus.export';

/**
 * The name of a fused gradient of the modulus that a platform may register for its
 * backend (src/platform/wasm-modulus.ts does for WASM), with the same numbers as the
 * composed ops below: (z [N, 2C], m [N, C], dy [N, C]) -> dz [N, 2C].
 */
export const MODULUS_GRAD_KERNEL = 'WavegraphComplexModulusGrad';

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
  const fused = tf.getKernel(MODULUS_GRAD_KERNEL, tf.getBackend()) !== undefined;
  const op = tf.customGrad((...args) => {
    const [zi, save] = args as [Tensor, (ts: Tensor[]) => void];
    const m = tf.reshape(tf.sqrt(tf.sum(tf.reshape(tf.square(zi), [N, 2, C]), 1)), outShape);
    save([zi, m]);
    return {
      value: m,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [zs, ms] = saved;
        if (fused) {
          const flat = (t: Tensor, n: number) => tf.reshape(t, [N, n]);
          const dz = tf
            .engine()
            .runKernel(MODULUS_GRAD_KERNEL, { z: flat(zs, 2 * C), m: flat(ms, C), dy: flat(dy, C) });
          return [tf.reshape(dz as Tensor, zs.shape)];
        }
        const scale = tf.reshape(tf.divNoNan(dy, ms), [N, 1, C]);
        return [tf.reshape(tf.mul(tf.reshape(zs, [N, 2, C]), scale), zs.shape)];
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
