import { defineNode, type TF, type Tensor } from '../types';
import { expectKind, fail, isDiagnostic, ok, one } from '../shapes';
import { phaseHarmonicOnnx, phaseHarmonicPytorch } from './phase-harmonic.export';

/**
 * [z]^k = |z| e^{ikφ} of a channel-last complex map [.., 2C] (real block, then
 * imaginary block). The gradient is written out in polar form: the plain chain rule
 * through atan2 divides by |z| and turns a zero response into NaN, while the
 * derivatives of r cos kφ and r sin kφ with respect to (x, y) are bounded
 * (combinations of cos, sin of φ and kφ, times 1 or k). No trigonometric function is
 * evaluated: cos φ = x/r, sin φ = y/r (1 and 0 at z = 0, as atan2(0, 0) = 0 gives), and
 * e^{ikφ} = (cos φ + i sin φ)^k by k − 1 complex products; synthesis evaluates this
 * on every wavelet coefficient at every step.
 */
export function phaseHarmonic(tf: TF, z: Tensor, k: number): Tensor {
  if (k === 1) return z;
  const axis = z.rank - 1;
  const op = tf.customGrad((...args) => {
    const [zi, save] = args as [Tensor, (ts: Tensor[]) => void];
    const [x, y] = tf.split(zi, 2, axis);
    const r = tf.sqrt(tf.add(tf.square(x), tf.square(y)));
    const inside = tf.greater(r, 0);
    const safe = tf.where(inside, r, tf.onesLike(r));
    const c = tf.where(inside, tf.div(x, safe), tf.onesLike(r));
    const s = tf.div(y, safe);
    let cK: Tensor = k === 0 ? tf.onesLike(r) : c;
    let sK: Tensor = k === 0 ? tf.zerosLike(r) : s;
    for (let i = 1; i < k; i++) {
      const next = tf.sub(tf.mul(cK, c), tf.mul(sK, s));
      sK = tf.add(tf.mul(sK, c), tf.mul(cK, s));
      cK = next;
    }
    save([c, s, cK, sK]);
    return {
      value: tf.concat([tf.mul(r, cK), tf.mul(r, sK)], axis),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [c1, s1, cKs, sKs] = saved;
        const [gRe, gIm] = tf.split(dy, 2, axis);
        // ∂(r cos kφ)/∂x = c·cK + k·s·sK, ∂(r cos kφ)/∂y = s·cK − k·c·sK,
        // ∂(r sin kφ)/∂x = c·sK − k·s·cK, ∂(r sin kφ)/∂y = s·sK + k·c·cK
        const dx = tf.add(
          tf.mul(gRe, tf.add(tf.mul(c1, cKs), tf.mul(tf.mul(s1, sKs), k))),
          tf.mul(gIm, tf.sub(tf.mul(c1, sKs), tf.mul(tf.mul(s1, cKs), k))),
        );
        const dyy = tf.add(
          tf.mul(gRe, tf.sub(tf.mul(s1, cKs), tf.mul(tf.mul(c1, sKs), k))),
          tf.mul(gIm, tf.add(tf.mul(s1, sKs), tf.mul(tf.mul(c1, cKs), k))),
        );
        return [tf.concat([dx, dyy], axis)];
      },
    };
  });
  return op(z) as Tensor;
}

export const PhaseHarmonic = defineNode({
  type: 'PhaseHarmonic',
  version: 1,
  pytorch: phaseHarmonicPytorch,
  onnx: phaseHarmonicOnnx,
  title: 'Phase harmonic',
  category: 'Nonlinearities',
  doc: {
    summary: 'Keeps the modulus of a complex map and multiplies its phase by an integer k.',
    formula: '[z]^k = |z| e^{ik·φ(z)} per channel, z = |z| e^{iφ(z)}, k ∈ {0, 1, 2, …}; k = 0 gives |z|, k = 1 gives z',
    intuition:
      "A wavelet coefficient z oscillates at the wavelet's frequency ξ. Multiplying its phase by k makes it oscillate at k·ξ, while its envelope |z| stays. Two wavelet coefficients at different scales are uncorrelated (their frequencies do not overlap), but after [·]^k the coarser one can be moved onto the finer one's frequency and they become correlated: these correlations describe how structures at different scales line up, the geometry a power spectrum cannot see. k = 0 is the modulus (frequency moved to zero), the non-linearity of scattering.",
    reference:
      'Mallat, Zhang & Rochette, "Phase harmonic correlations and convolutional neural networks" (2020); Zhang & Mallat, "Maximum entropy models from phase harmonic covariances" (ACHA 2021).',
  },
  inputs: [{ name: 'in', kinds: ['complex'], doc: 'Complex map [H, W, 2C]: C real parts then C imaginary parts.' }],
  outputs: [
    {
      name: 'out',
      kinds: ['complex'],
      doc: 'Complex map [H, W, 2C] of the same layout (for k = 0 the imaginary parts are 0).',
    },
  ],
  params: {
    k: {
      kind: 'int',
      default: 2,
      min: 0,
      max: 16,
      help: 'Phase multiplier: 0 is the modulus, 1 the identity, 2 doubles the frequency of every channel.',
      main: true,
    },
  },
  inferShape(_p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    if (isDiagnostic(x)) return fail(x);
    const bad = expectKind(
      x,
      ['complex'],
      ctx,
      this.title,
      'in',
      'Connect the output of a Wavelet convolution (a complex map).',
    );
    if (bad) return fail(bad);
    return ok({ out: { kind: 'complex', shape: [...x.shape] } });
  },
  lower({ params: p, ctx }) {
    const { tf } = ctx;
    return { apply: (ins) => ({ out: phaseHarmonic(tf, ins.in[0], p.k) }) };
  },
});
