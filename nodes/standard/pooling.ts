import { diag } from '../../document/diagnostics';
import { defineNode, type InferContext, type ParamValues, type TensorSpec } from '../types';
import { expectRank, fail, isDiagnostic, ok, one, samePad, windowOut } from '../shapes';
import { maxPoolPytorch, maxPoolOnnx, avgPoolPytorch, avgPoolOnnx } from './pooling.export';

const poolParams = {
  size: { kind: 'int', default: 2, min: 1, max: 64, help: 'Window size (size × size).', main: true },
  stride: { kind: 'int', default: 0, min: 0, max: 64, help: 'Step between windows; 0 means the same as the size.' },
  padding: {
    kind: 'enum',
    default: 'valid',
    options: ['valid', 'same'],
    help: '"valid" drops partial windows at the border.',
  },
} as const;

type PoolParams = ParamValues<typeof poolParams>;

function poolShape(title: string, p: PoolParams, inputs: Record<string, TensorSpec[]>, ctx: InferContext) {
  const x = one(inputs, 'in', ctx, title);
  if (isDiagnostic(x)) return fail(x);
  const r = expectRank(x, 3, ctx, title, 'in', 'Pool an image-like map [H, W, C], before any Flatten.');
  if (r) return fail(r);
  const s = p.stride || p.size;
  const pad = p.padding as 'same' | 'valid';
  const ho = windowOut(x.shape[0], p.size, s, pad);
  const wo = windowOut(x.shape[1], p.size, s, pad);
  if (ho < 1 || wo < 1) {
    return fail(
      diag(
        'shape-mismatch',
        `a ${p.size} × ${p.size} window does not fit in the ${x.shape[0]} × ${x.shape[1]} input.`,
        {
          nodeId: ctx.nodeId,
          nodeTitle: title,
          port: 'in',
          fix: 'Use a smaller window or padding "same".',
        },
      ),
    );
  }
  return ok({ out: { kind: x.kind, shape: [ho, wo, x.shape[2]] } });
}

export const MaxPool = defineNode({
  type: 'MaxPool',
  version: 1,
  pytorch: maxPoolPytorch,
  onnx: maxPoolOnnx,
  title: 'Max pooling',
  category: 'Pooling',
  doc: {
    summary: 'Keeps the largest value in each window and shrinks the map.',
    formula: 'y[u, c] = max_{v ∈ window} x[s·u + v, c]',
    intuition:
      'Asks "did this feature fire anywhere in the window?" and forgets exactly where. That buys a little invariance to small shifts and halves the resolution for a 2 × 2 window.',
    reference: 'Riesenhuber & Poggio (1999); LeCun et al. (1998).',
  },
  inputs: [{ name: 'in', kinds: ['map', 'code'], doc: 'Feature map [H, W, C].' }],
  outputs: [{ name: 'out', kinds: ['map', 'code'], doc: 'Pooled map.' }],
  params: poolParams,
  keepsChannels: true,
  inferShape(p, inputs, ctx) {
    return poolShape(this.title, p, inputs, ctx);
  },
  lower({ params: p, ctx }) {
    const s = p.stride || p.size;
    return { apply: (ins) => ({ out: ctx.tf.maxPool(ins.in[0] as never, p.size, s, p.padding as 'same' | 'valid') }) };
  },
});

export const AvgPool = defineNode({
  type: 'AvgPool',
  version: 1,
  pytorch: avgPoolPytorch,
  onnx: avgPoolOnnx,
  title: 'Average pooling',
  category: 'Pooling',
  doc: {
    summary: 'Averages each window and shrinks the map.',
    formula: 'y[u, c] = (1 / size²) Σ_{v ∈ window} x[s·u + v, c]',
    intuition:
      'Averaging is the simplest way to become stable to small shifts and deformations: it blurs away exact positions. After a rectifier or modulus it keeps the energy of a feature over a region; in a scattering network this role is played by the Gaussian low-pass.',
    reference: 'Mallat, "Group invariant scattering" (2012).',
  },
  inputs: [{ name: 'in', kinds: ['map', 'code'], doc: 'Feature map [H, W, C].' }],
  outputs: [{ name: 'out', kinds: ['map', 'code'], doc: 'Pooled map.' }],
  params: poolParams,
  keepsChannels: true,
  inferShape(p, inputs, ctx) {
    return poolShape(this.title, p, inputs, ctx);
  },
  lower({ params: p, inputs, ctx }) {
    const { tf } = ctx;
    const s = p.stride || p.size;
    if (p.padding !== 'same') return { apply: (ins) => ({ out: tf.avgPool(ins.in[0] as never, p.size, s, 'valid') }) };
    // TensorFlow.js's avgPool gradient divides by the full window even where "same"
    // padding left fewer samples in it (its forward pass counts only those): pad with
    // zeros, pool, and rescale by a fixed map of window counts, so both passes agree.
    const [h, w] = inputs.in[0].shape;
    const pads: [[number, number], [number, number]] = [samePad(h, p.size, s), samePad(w, p.size, s)];
    const ones = tf.pad(tf.ones([1, h, w, 1]), [[0, 0], ...pads, [0, 0]]);
    const scale = tf.keep(tf.tidy(() => tf.div(1, tf.avgPool(ones as never, p.size, s, 'valid'))));
    ones.dispose();
    return {
      apply: (ins) => ({
        out: tf.mul(tf.avgPool(tf.pad(ins.in[0], [[0, 0], ...pads, [0, 0]]) as never, p.size, s, 'valid'), scale),
      }),
    };
  },
});
