import { beforeAll, describe, expect, it } from 'vitest';
import { phaseHarmonic } from '../../nodes/statistics/phase-harmonic';
import { tf, useBackend } from '../wavelets/helpers';
import { seededRandom } from '../../nodes/math/random';

beforeAll(() => useBackend('cpu'));

/** A [1, 1, P, 2] complex map (P points, one channel: value 2i is Re, 2i + 1 is Im). */
const complexMap = (re: number[], im: number[]) =>
  tf.concat([tf.tensor4d(re, [1, 1, re.length, 1]), tf.tensor4d(im, [1, 1, im.length, 1])], 3);

describe('PhaseHarmonic', () => {
  const thetas = [-3, -2.2, -1, -0.3, 0, 0.4, 1.1, 2, 2.9, Math.PI - 1e-3];

  for (const k of [0, 1, 2, 3, 5]) {
    it(`maps r e^{iθ} to r e^{ikθ} (k = ${k})`, async () => {
      const r = thetas.map((_, i) => 0.5 + 0.25 * i);
      const z = complexMap(
        thetas.map((t, i) => r[i] * Math.cos(t)),
        thetas.map((t, i) => r[i] * Math.sin(t)),
      );
      const out = await phaseHarmonic(tf, z, k).data();
      thetas.forEach((t, i) => {
        expect(out[2 * i]).toBeCloseTo(r[i] * Math.cos(k * t), 5);
        expect(out[2 * i + 1]).toBeCloseTo(r[i] * Math.sin(k * t), 5);
      });
    });
  }

  for (const k of [0, 2, 3]) {
    it(`has the gradient of central finite differences (k = ${k})`, () => {
      const rand = seededRandom(11 + k);
      const P = 12;
      const x = Array.from({ length: P }, () => rand.normal());
      const y = Array.from({ length: P }, () => rand.normal());
      const w = tf.tensor4d(
        Array.from({ length: 2 * P }, () => rand.normal()),
        [1, 1, P, 2],
      );
      const f = (z: tf.Tensor) => tf.sum(tf.mul(phaseHarmonic(tf, z, k), w)) as tf.Scalar;
      const z0 = complexMap(x, y);
      const g = tf.grad(f)(z0).dataSync();
      const h = 1e-2;
      for (let i = 0; i < 2 * P; i++) {
        const at = (d: number) => {
          const re = [...x];
          const im = [...y];
          if (i % 2 === 0) re[i >> 1] += d;
          else im[i >> 1] += d;
          return f(complexMap(re, im)).dataSync()[0];
        };
        const fd = (at(h) - at(-h)) / (2 * h);
        expect(Math.abs(g[i] - fd), `component ${i}`).toBeLessThan(2e-2 * Math.max(1, Math.abs(fd)));
      }
    });
  }

  it('has a finite gradient at z = 0', () => {
    const g = tf
      .grad((z: tf.Tensor) => tf.sum(phaseHarmonic(tf, z, 2)) as tf.Scalar)(complexMap([0, 1], [0, 1]))
      .dataSync();
    expect(Array.from(g).every(Number.isFinite)).toBe(true);
  });
});
