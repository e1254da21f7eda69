import { WEIGHT_PARAM } from './moments';
import { meanOver } from './mean-ops';
import { defineNode } from '../types';
import { expectKind, expectRank, fail, isDiagnostic, ok, one } from '../shapes';

export const WaveletEnergy = defineNode({
  type: 'WaveletEnergy',
  version: 1,
  title: 'Wavelet power spectrum',
  category: 'Statistics',
  doc: {
    summary: 'The energy of each wavelet channel, E|x ⊛ ψ_{j,l}|²: the power spectrum measured scale by scale.',
    formula:
      'e_c = (1 / HW) Σ_u |z_c(u)|² (a real map is centred first: its variance per channel), output e_c, or log e_c when "log" is on',
    intuition:
      'A wavelet ψ_{j,l} keeps the frequencies around 2^{−j} in direction l, so the average energy of x ⊛ ψ_{j,l} is the power spectrum of x averaged over that band. These numbers are the second-order moments of a stationary field: a Gaussian field is entirely described by them, which is exactly why matching them alone gives a Gaussian-looking sample. The wavelets leave out the frequencies below the coarsest one: wire a Low-pass (subsample off) here too and the energy of its fluctuations, E|x ⊛ φ_J − mean|², covers them. The log makes a 10% error weigh the same at every scale, whatever the energy there.',
    reference: 'Mallat, "A Wavelet Tour of Signal Processing" (2009); Zhang & Mallat (ACHA 2021).',
  },
  inputs: [
    {
      name: 'in',
      kinds: ['complex', 'map'],
      doc: 'Complex wavelet coefficients [H, W, 2C] (use padding "circular" for a periodic field), or a real map [H, W, C] such as a low-pass output.',
    },
  ],
  outputs: [{ name: 'out', kinds: ['moments'], doc: 'Vector [C]: one energy per channel (scale, orientation).' }],
  params: {
    weight: WEIGHT_PARAM,
    log: {
      kind: 'bool',
      default: true,
      help: 'Output the natural log of each energy, so that every scale counts equally when moments are compared.',
      main: true,
    },
  },
  inferShape(_p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    if (isDiagnostic(x)) return fail(x);
    const bad =
      expectKind(
        x,
        ['complex', 'map'],
        ctx,
        this.title,
        'in',
        'Connect the output of a Wavelet convolution (a complex map) or of a Low-pass (a real map).',
      ) ?? expectRank(x, 3, ctx, this.title, 'in', 'Feed a map [H, W, 2C] or [H, W, C], before any Flatten.');
    if (bad) return fail(bad);
    return ok({ out: { kind: 'moments', shape: [x.kind === 'complex' ? x.shape[2] / 2 : x.shape[2]] } });
  },
  lower({ params: p, inputs, ctx }) {
    const { tf } = ctx;
    const complex = inputs.in[0].kind === 'complex';
    return {
      apply: (ins) => {
        // A real map (a low-pass output) is centred: its mean is the field's mean, a
        // first moment, which would otherwise stand in for the energy of the coarsest
        // frequencies. Wavelet coefficients have zero mean already.
        const [re, im] = complex
          ? tf.split(ins.in[0], 2, 3)
          : [tf.sub(ins.in[0], meanOver(tf, ins.in[0], [1, 2], true)), null];
        const e = meanOver(tf, im ? tf.add(tf.square(re), tf.square(im)) : tf.square(re), [1, 2]);
        // the floor keeps log finite for an all-zero start; far below any field's energy
        return { out: p.log ? tf.log(tf.add(e, 1e-12)) : e };
      },
    };
  },
});
