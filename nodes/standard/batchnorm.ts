import { defineNode, type PortKind } from '../types';
import { fail, isDiagnostic, ok, one } from '../shapes';
import { batchNormPytorch, batchNormOnnx } from './batchnorm.export';

const kinds: PortKind[] = ['map', 'vector', 'code'];

export const BatchNorm = defineNode({
  type: 'BatchNorm',
  version: 1,
  pytorch: batchNormPytorch,
  onnx: batchNormOnnx,
  title: 'Batch normalization',
  category: 'Normalization',
  doc: {
    summary: 'Standardizes each channel to zero mean and unit variance, then rescales.',
    formula:
      'y = γ (x − μ) / √(σ² + ε) + β,  μ, σ² per channel (batch statistics while training; at test time their running average, a plain mean over the first 1/(1 − momentum) batches)',
    intuition:
      'Features of very different sizes make a linear classifier slow to train: scattering coefficients of order 2 are much smaller than order 0. Standardizing every channel puts them on the same footing, and the learned γ, β let the network undo it where useful.',
    reference: 'Ioffe & Szegedy (2015).',
  },
  inputs: [{ name: 'in', kinds, doc: 'Feature map [H, W, C] or vector [D].' }],
  outputs: [{ name: 'out', kinds, doc: 'Same shape.' }],
  params: {
    momentum: {
      kind: 'number',
      default: 0.99,
      min: 0,
      max: 0.9999,
      help: 'How slowly the running statistics follow the batches.',
    },
    epsilon: {
      kind: 'number',
      default: 0.001,
      min: 1e-8,
      max: 1,
      help: 'Added to the variance for stability.',
      log: true,
    },
    affine: { kind: 'bool', default: true, help: 'Learn a scale γ and shift β per channel.' },
  },
  differsInTraining: true,
  keepsChannels: true,
  perChannel: { affine: ['gamma', 'beta'], statistics: { mean: 'moving_mean', variance: 'moving_variance' } },
  inferShape(p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    if (isDiagnostic(x)) return fail(x);
    const c = x.shape[x.shape.length - 1];
    return ok({ out: x }, { trainable: p.affine ? 2 * c : 0, fixed: 2 * c + 1 });
  },
  lower({ params: p, inputs, ctx }) {
    const { tf } = ctx;
    const shape = inputs.in[0].shape;
    const c = shape[shape.length - 1];
    const axes = shape.map((_, i) => i); // batch axis 0 plus all but the channel axis
    const mean = ctx.variable('moving_mean', [c], () => tf.zeros([c]), { trainable: false, role: 'state' });
    const variance = ctx.variable('moving_variance', [c], () => tf.ones([c]), { trainable: false, role: 'state' });
    // Number of batches seen: until 1 / (1 - momentum) of them, the running statistics
    // are the plain average of the batches so far, so a short training (or a frozen
    // front end trained for one epoch) does not evaluate with statistics still
    // dominated by their initial values.
    const count = ctx.variable('updates', [1], () => tf.zeros([1]), { trainable: false, role: 'state' });
    const gamma = p.affine ? ctx.variable('gamma', [c], () => tf.ones([c]), { trainable: true, role: 'weight' }) : null;
    const beta = p.affine ? ctx.variable('beta', [c], () => tf.zeros([c]), { trainable: true, role: 'bias' }) : null;
    return {
      apply: (ins, mode) => {
        const x = ins.in[0];
        let m: ReturnType<typeof tf.moments>['mean'];
        let v: ReturnType<typeof tf.moments>['variance'];
        if (mode.training) {
          const mom = tf.moments(x, axes);
          m = mom.mean;
          v = mom.variance;
          // Running statistics follow the batches; the loss does not depend on them, so
          // the tape prunes them from the gradient.
          const n = tf.add(count, 1);
          const keep = tf.minimum(p.momentum, tf.div(count, n));
          const take = tf.sub(1, keep);
          // Unbiased batch variance, as the running estimate of the population's.
          const size = x.size / c;
          const vUnbiased = size > 1 ? tf.mul(v, size / (size - 1)) : v;
          mean.assign(tf.add(tf.mul(mean, keep), tf.mul(m, take)) as never);
          variance.assign(tf.add(tf.mul(variance, keep), tf.mul(vUnbiased, take)) as never);
          count.assign(n as never);
        } else {
          m = mean;
          v = variance;
        }
        // Written out rather than tf.batchNorm, whose gradient fails without scale/offset.
        const normalized = tf.mul(tf.sub(x, m), tf.rsqrt(tf.add(v, p.epsilon)));
        return { out: gamma && beta ? tf.add(tf.mul(normalized, gamma), beta) : normalized };
      },
    };
  },
});
