import { diag } from '../../document/diagnostics';
import { parseSplit, splitGroups } from '../math/binary-split';
import { defineNode } from '../types';
import { expectRank, fail, isDiagnostic, ok, one } from '../shapes';
import { hingeOnnx, hingePytorch } from './hinge.export';

/**
 * The quadratic hinge of the jamming papers: one score f per image, a label y = ±1
 * from a binary split of the dataset's classes, and a loss that is exactly zero once
 * every example sits beyond the margin (y f ≥ 1). Those below it are the unsatisfied
 * constraints whose count vanishes at the jamming transition.
 */
export const QuadraticHinge = defineNode({
  type: 'QuadraticHinge',
  version: 1,
  pytorch: hingePytorch,
  onnx: hingeOnnx,
  title: 'Quadratic hinge (binary)',
  category: 'Output',
  role: 'loss',
  doc: {
    summary: 'A binary loss that is zero once every example is classified with margin 1.',
    formula: 'y = ±1 by the split;  loss = (1/B) Σ_b ½ max(0, 1 − y_b f_b)²;  predicted class: f > 0',
    intuition:
      'The network gives one number f per image; its sign is the prediction. An example whose y·f is below 1 is an unsatisfied constraint and costs the square of its shortfall; one beyond the margin costs nothing. With too few parameters some constraints stay unsatisfied whatever the training; past a critical number N* they can all be satisfied and the loss reaches exactly zero: the jamming transition. The split groups the dataset classes into two sides: "parity" puts odd classes on +1, a list such as 0,2,3,4,6 names the classes on +1; leave it empty for a dataset with two classes.',
    reference:
      'Geiger, Spigler, d’Ascoli, Sagun, Baity-Jesi, Biroli & Wyart, Jamming transition as a paradigm to understand the loss landscape of deep neural networks (Phys. Rev. E, 2019).',
  },
  inputs: [{ name: 'in', kinds: ['vector', 'logits'], doc: 'One score f per image, [1].' }],
  outputs: [],
  params: {
    split: {
      kind: 'string',
      default: 'parity',
      maxLength: 200,
      help: 'Which dataset classes count as +1: "parity" (odd classes), a list such as 0,2,3,4,6, or empty for a two-class dataset.',
      main: true,
    },
  },
  checkParams(p, ctx) {
    const r = parseSplit(p.split);
    return r.ok ? [] : [diag('bad-param', r.message, { nodeId: ctx.nodeId, nodeTitle: this.title, param: 'split' })];
  },
  inferShape(_p, inputs, ctx) {
    const x = one(inputs, 'in', ctx, this.title);
    if (isDiagnostic(x)) return fail(x);
    const r = expectRank(x, 1, ctx, this.title, 'in', 'Put a Flatten and a Dense layer with one unit before the loss.');
    if (r) return fail(r);
    if (x.shape[0] !== 1)
      return fail(
        diag('shape-mismatch', `receives ${x.shape[0]} scores but a binary hinge loss takes one.`, {
          nodeId: ctx.nodeId,
          nodeTitle: this.title,
          port: 'in',
          fix: 'Set the units of the Dense layer before it to 1.',
        }),
      );
    return ok({});
  },
  lower() {
    return { apply: (inputs) => ({ logits: inputs.in[0] }) };
  },
  objective: {
    loss(tf, scores, labels) {
      return tf.tidy(() => {
        const y = tf.sub(tf.mul(tf.cast(labels, 'float32'), 2), 1);
        const gap = tf.relu(tf.sub(1, tf.mul(y, tf.reshape(scores, [-1]))));
        return tf.mean(tf.mul(0.5, tf.square(gap)));
      });
    },
    predict(tf, scores) {
      return tf.tidy(() => tf.cast(tf.greater(tf.reshape(scores, [-1]), 0), 'int32'));
    },
    classes(p, data) {
      const parsed = parseSplit(p.split);
      if (!parsed.ok) return { problem: parsed.message, fix: 'Write "parity" or a list of class numbers.' };
      const g = splitGroups(parsed.spec, data.classes);
      if (!g.ok)
        return {
          problem: `${g.message} (dataset "${data.name}")`,
          fix:
            parsed.spec.kind === 'none'
              ? `Set split to "parity" or to the classes on the +1 side (such as 0,2,3,4,6 of ${data.classNames.slice(0, 3).join(', ')}, …).`
              : `Name classes between 0 and ${data.classes - 1}, with some on each side.`,
        };
      const side = (s: number) =>
        data.classNames.filter((_, c) => g.groupOf[c] === s).join(' + ') || (s ? 'positive' : 'negative');
      return { groupOf: g.groupOf, names: [`−1: ${side(0)}`, `+1: ${side(1)}`] };
    },
  },
});
