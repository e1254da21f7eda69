import { diag } from '../../document/diagnostics';
import { defineNode } from '../types';
import { expectRank, fail, isDiagnostic, ok, one } from '../shapes';
import { lossPytorch, lossOnnx } from './loss.export';

export const SoftmaxCrossEntropy = defineNode({
  type: 'SoftmaxCrossEntropy',
  version: 1,
  pytorch: lossPytorch,
  onnx: lossOnnx,
  title: 'Softmax + cross-entropy',
  category: 'Output',
  role: 'loss',
  doc: {
    summary: 'Turns N class scores into probabilities and measures how wrong they are.',
    formula: 'p_k = exp(s_k) / Σ_j exp(s_j);  loss = −(1/B) Σ_b log p_{y_b}',
    intuition:
      'The network outputs one score per class. Softmax makes them positive and sum to one, so they read as probabilities; the loss is small when the true class gets a high probability. Training lowers this number. The predicted class is the one with the largest score.',
    reference: 'Goodfellow, Bengio & Courville, Deep Learning (2016), §6.2.2.',
  },
  inputs: [{ name: 'in', kinds: ['vector', 'logits'], doc: 'One score per class, [N].' }],
  outputs: [],
  params: {
    classes: { kind: 'int', default: 10, min: 2, max: 1000, help: 'Number of classes N.', main: true },
  },
  inferShape(p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    if (isDiagnostic(x)) return fail(x);
    const r = expectRank(
      x,
      1,
      ctx,
      this.title,
      'in',
      'Put a Flatten and a Dense layer with one unit per class before the loss.',
    );
    if (r) return fail(r);
    if (x.shape[0] !== p.classes) {
      return fail(
        diag('shape-mismatch', `receives ${x.shape[0]} scores but the loss expects one per class (${p.classes}).`, {
          nodeId: ctx.nodeId,
          nodeTitle: this.title,
          port: 'in',
          fix: `Set the units of the Dense layer before it to ${p.classes}, or set classes to ${x.shape[0]}.`,
        }),
      );
    }
    return ok({});
  },
  lower() {
    return { apply: (inputs) => ({ logits: inputs.in[0] }) };
  },
});
