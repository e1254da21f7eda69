import { diag } from '../../document/diagnostics';
import { defineNode } from '../types';
import { fail, ok, shapeText } from '../shapes';

/**
 * Every statistics node carries this param: how much its group of moments counts in
 * the distance synthesis minimizes (synthesis reads it off each node feeding Moments).
 */
export const WEIGHT_PARAM = {
  kind: 'number',
  default: 1,
  min: 0,
  max: 1000,
  log: true,
  help: "How much this group of moments counts in the synthesis distance (each group's mean squared difference is multiplied by it).",
} as const;

export const Moments = defineNode({
  type: 'Moments',
  version: 1,
  title: 'Moments (statistics model)',
  category: 'Output',
  role: 'moments',
  doc: {
    summary: 'The end of a statistics graph: the moment vector that synthesis matches between a sample and its target.',
    formula:
      'Φ(x) = [Φ₁(x), Φ₂(x), …] (the connected vectors, by edge id); synthesis minimizes Σ_g w_g mean_i (Φ_{g,i}(x) − Φ_{g,i}(target))² over the groups g',
    intuition:
      "A graph ending here is not a classifier: it describes a random field by a few averages (its moments). Synthesis starts from white noise and moves the pixels until the sample has the target's moments; the result is a typical field of maximum entropy under those constraints. Each connected vector is one group of moments and weighs the same in the distance, however many numbers it holds.",
    reference: 'Bruna & Mallat, "Multiscale sparse microcanonical models" (2019); Zhang & Mallat (ACHA 2021).',
  },
  inputs: [
    {
      name: 'in',
      kinds: ['moments'],
      multi: true,
      doc: 'One or more moment vectors (Spatial mean, Wavelet power spectrum, Cross-scale covariance).',
    },
  ],
  outputs: [{ name: 'out', kinds: ['moments'], doc: 'All moments, concatenated.' }],
  params: {},
  inferShape(_p, inputs, ctx) {
    const specs = inputs.in ?? [];
    if (specs.length === 0) {
      return fail(
        diag('unconnected-input', 'input "in" is not connected.', {
          nodeId: ctx.nodeId,
          nodeTitle: this.title,
          port: 'in',
          fix: 'Connect a statistics node (Spatial mean, Wavelet power spectrum, Cross-scale covariance).',
        }),
      );
    }
    const bad = specs.find((s) => s.kind !== 'moments' || s.shape.length !== 1);
    if (bad) {
      return fail(
        diag(
          'shape-mismatch',
          `input "in" receives ${shapeText(bad)}, but a statistics model ends in vectors of moments.`,
          {
            nodeId: ctx.nodeId,
            nodeTitle: this.title,
            port: 'in',
            fix: 'Reduce the map to moments first: Spatial mean, Wavelet power spectrum or Cross-scale covariance.',
          },
        ),
      );
    }
    return ok({ out: { kind: 'moments', shape: [specs.reduce((s, x) => s + x.shape[0], 0)] } });
  },
  lower({ ctx }) {
    const { tf } = ctx;
    return { apply: (ins) => ({ out: ins.in.length === 1 ? ins.in[0] : tf.concat(ins.in, 1) }) };
  },
});
