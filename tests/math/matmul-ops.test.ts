import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { matMul, matMulConst } from '../../nodes/math/matmul-ops';
import { seededRandom } from '../../nodes/math/random';
import type { TF } from '../../nodes/types';

const T = tf as unknown as TF;

function normal(shape: [number, number], seed: number): tf.Tensor2D {
  const r = seededRandom(seed);
  return tf.tensor2d(
    Float32Array.from({ length: shape[0] * shape[1] }, () => r.normal()),
    shape,
  );
}

async function close(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [x, y] = [await a.data(), await b.data()];
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / (1 + Math.abs(y[i])));
  return worst;
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

describe('matrix products with plain-product gradients (WASM)', () => {
  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`matMul(a, b, ${ta}, ${tb}) gives tf.matMul's value and gradients`, async () => {
      expect(tf.getBackend()).toBe('wasm');
      const a = normal(ta ? [5, 7] : [7, 5], 1);
      const b = normal(tb ? [3, 5] : [5, 3], 2);
      const w = normal([7, 3], 3); // a weighting of the output, so the gradients are not all ones
      const ours = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(matMul(T, x, y, ta, tb), w)));
      const ref = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, ta, tb), w)));
      expect(await close(matMul(T, a, b, ta, tb), tf.matMul(a, b, ta, tb))).toBeLessThan(1e-5);
      const [ga, gb] = ours([a, b]);
      const [ra, rb] = ref([a, b]);
      expect(ga.shape).toEqual(a.shape);
      expect(gb.shape).toEqual(b.shape);
      expect(await close(ga, ra)).toBeLessThan(1e-5);
      expect(await close(gb, rb)).toBeLessThan(1e-5);
    });
  }

  it('matMulConst gives the product with a fixed matrix and the gradient to x', async () => {
    const x = normal([6, 4], 4);
    const m = normal([4, 9], 5);
    const data = m.dataSync() as Float32Array;
    const w = normal([6, 9], 6);
    expect(await close(matMulConst(T, x, data, 4, 9), tf.matMul(x, m))).toBeLessThan(1e-5);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(matMulConst(T, t, data, 4, 9), w)))(x);
    // d/dx sum(w * (x m)) = w mᵀ
    expect(await close(g, tf.matMul(w, m, false, true))).toBeLessThan(1e-5);
    // the cached transpose is reused, and stays right, on a second call
    const g2 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(matMulConst(T, t, data, 4, 9), w)))(x);
    expect(await close(g2, g)).toBe(0);
  });
});
