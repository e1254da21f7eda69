import { diag } from '../../document/diagnostics';
import { defineNode } from '../types';
import { expectRank, fail, isDiagnostic, ok, one, windowOut } from '../shapes';
import { trainableConv2d } from './conv-ops';
import { conv2dPytorch, conv2dOnnx } from './conv2d.export';

export const Conv2D = defineNode({
  type: 'Conv2D',
  version: 1,
  pytorch: conv2dPytorch,
  onnx: conv2dOnnx,
  title: 'Convolution 2D',
  category: 'Learned layers',
  widthParam: 'channels',
  doc: {
    summary: 'Learned filters slid over the image, one output channel per filter.',
    formula: 'y[u, o] = b_o + Σ_{v, c} w[v, c, o] · x[s·u + v, c]   (k × k window v, stride s)',
    intuition:
      'Each filter is a small pattern detector that looks at a k × k window at every position; the same weights are reused everywhere, so a pattern is found wherever it appears. In the first layer, trained filters often look like oriented edges and wavelets.',
    reference: 'LeCun et al., "Gradient-based learning applied to document recognition" (1998).',
  },
  inputs: [{ name: 'in', kinds: ['map', 'code'], doc: 'Feature map [H, W, C].' }],
  outputs: [{ name: 'out', kinds: ['map'], doc: 'Feature map [H′, W′, channels].' }],
  params: {
    channels: { kind: 'int', default: 32, min: 1, max: 4096, help: 'Number of filters (output channels).', main: true },
    kernel: { kind: 'int', default: 5, min: 1, max: 31, help: 'Filter size k (k × k).', main: true },
    stride: { kind: 'int', default: 1, min: 1, max: 8, help: 'Step between filter positions.' },
    padding: {
      kind: 'enum',
      default: 'same',
      options: ['same', 'valid'],
      help: '"same" keeps the size (stride 1); "valid" uses only full windows.',
    },
    init: { kind: 'enum', default: 'he', options: ['he', 'glorot'], help: 'Random initialization of the weights.' },
    bias: { kind: 'bool', default: true, help: 'Add a learned bias per output channel.' },
  },
  inputWeight: { variable: 'kernel', layout: 'kernel' },
  learnedFilters: { structure: 'kernel', variable: 'kernel' },
  inferShape(p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    if (isDiagnostic(x)) return fail(x);
    const r = expectRank(x, 3, ctx, this.title, 'in', 'Feed an image-like map [H, W, C], not a flattened vector.');
    if (r) return fail(r);
    const [h, w, c] = x.shape;
    const pad = p.padding as 'same' | 'valid';
    const ho = windowOut(h, p.kernel, p.stride, pad);
    const wo = windowOut(w, p.kernel, p.stride, pad);
    if (ho < 1 || wo < 1) {
      return fail(
        diag(
          'shape-mismatch',
          `a ${p.kernel} × ${p.kernel} filter does not fit in the ${h} × ${w} input with "valid" padding.`,
          {
            nodeId: ctx.nodeId,
            nodeTitle: this.title,
            port: 'in',
            fix: 'Use padding "same" or a smaller kernel.',
          },
        ),
      );
    }
    const weights = p.kernel * p.kernel * c * p.channels + (p.bias ? p.channels : 0);
    return ok({ out: { kind: 'map', shape: [ho, wo, p.channels] } }, { trainable: weights, fixed: 0 });
  },
  lower({ params: p, inputs, ctx }) {
    const { tf } = ctx;
    const cin = inputs.in[0].shape[2];
    const fanIn = p.kernel * p.kernel * cin;
    const fanOut = p.kernel * p.kernel * p.channels;
    const std = p.init === 'he' ? Math.sqrt(2 / fanIn) : Math.sqrt(2 / (fanIn + fanOut));
    const shape = [p.kernel, p.kernel, cin, p.channels];
    const w = ctx.variable(
      'kernel',
      shape,
      () => tf.mul(tf.truncatedNormal(shape, 0, 1, 'float32', ctx.random.seed()), std),
      {
        trainable: true,
        role: 'weight',
      },
    );
    const b = p.bias
      ? ctx.variable('bias', [p.channels], () => tf.zeros([p.channels]), { trainable: true, role: 'bias' })
      : null;
    const geometry = { kernel: p.kernel, stride: p.stride, padding: p.padding as 'same' | 'valid' };
    const nativeGrad = ctx.backend === 'webgpu' || ctx.backend === 'webgl';
    return {
      apply: (ins) => {
        const x = ins.in[0];
        const y = nativeGrad
          ? tf.conv2d(x as never, w as never, p.stride, geometry.padding)
          : trainableConv2d(tf, x, w, geometry, ctx.inputsNeedGradient);
        return { out: b ? tf.add(y, b) : y };
      },
    };
  },
});
