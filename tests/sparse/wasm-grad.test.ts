import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { chain, compile, gaussian, tf, type ChainNode } from './helpers';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

describe('sparse nodes train on the WASM backend', () => {
  const nodes: ChainNode[] = [
    { id: 'sc', type: 'LISTA', params: { K: 2, atoms: 8, weights: 'untied', threshold: 'signed' }, port: 'code' },
    { id: 'sc', type: 'ISTC', params: { iterations: 3, atoms: 8, encoder: 'free' }, port: 'code' },
    { id: 'sc', type: 'RandomFeature', params: { width: 8, rank: 2 } },
  ];
  for (const node of nodes) {
    it(`${node.type}: every trainable variable gets a finite, non-zero gradient`, () => {
      expect(tf.getBackend()).toBe('wasm');
      const model = compile(chain([3, 3, 4], [node, { id: 'flat', type: 'Flatten' }, { id: 'head', type: 'Dense' }]));
      const x = tf.tensor4d(gaussian(2 * 9 * 4, 1), [2, 3, 3, 4]);
      const labels = tf.oneHot(tf.tensor1d([1, 2], 'int32'), 10);
      const own = model.variables.filter((v) => v.nodeId === 'sc' && v.trainable);
      expect(own.length).toBeGreaterThan(0);
      const { grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(labels, model.forward(x, { training: true }).logits) as tf.Scalar,
        own.map((v) => v.variable),
      );
      for (const v of own) {
        const g = grads[v.variable.name].dataSync();
        expect(g.every(Number.isFinite), v.key).toBe(true);
        expect(
          g.some((e) => e !== 0),
          v.key,
        ).toBe(true);
      }
      model.dispose();
    });
  }
});
