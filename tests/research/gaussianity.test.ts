import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../nodes/math/random';
import { gaussianity, normalCdf, normalQuantile } from '../../src/research/gaussianity';

/** Rows x M for x with i.i.d. entries from `entry`, M a fixed mixing with a decaying spectrum. */
function rows(N: number, D: number, seed: number, entry: (r: ReturnType<typeof seededRandom>) => number): Float64Array {
  const r = seededRandom(seed);
  const M = Float64Array.from({ length: D * D }, () => r.normal());
  const W = new Float64Array(N * D);
  for (let i = 0; i < N; i++) {
    const x = Float64Array.from({ length: D }, (_, k) => entry(r) / (1 + k));
    for (let d = 0; d < D; d++) for (let k = 0; k < D; k++) W[i * D + d] += x[k] * M[k * D + d];
  }
  return W;
}

const studentT3 = (r: ReturnType<typeof seededRandom>) => {
  let chi = 0;
  for (let i = 0; i < 3; i++) chi += r.normal() ** 2;
  return r.normal() / Math.sqrt(chi / 3);
};

describe('Gaussianity of a layer', () => {
  it('has the normal quantile and CDF right', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
  });

  it('passes Gaussian rows with an anisotropic covariance, tall and wide', () => {
    for (const [N, D, seed] of [
      [3000, 16, 1],
      [400, 30, 7],
      [64, 800, 3],
    ]) {
      const g = gaussianity(
        rows(N, D, seed, (r) => r.normal()),
        N,
        D,
      );
      expect(g.directions).toBe(Math.min(N, D));
      expect(g.gaussian, `${N} x ${D}: kurtosis ${g.pooledKurtosis}, KS ${g.ks} (limit ${g.ksLimit})`).toBe(true);
      // QQ points lie on the diagonal.
      const mid = Math.floor(g.qq.normal.length / 2);
      expect(Math.abs(g.qq.sample[mid + 20] - g.qq.normal[mid + 20])).toBeLessThan(0.15);
    }
  });

  it('fails heavy-tailed rows: Student t (3 degrees of freedom), and Gaussian rows with random scales', () => {
    const t = gaussianity(rows(3000, 16, 4, studentT3), 3000, 16);
    expect(t.gaussian).toBe(false);
    expect(t.pooledKurtosis).toBeGreaterThan(1);
    const r0 = seededRandom(9);
    const W = rows(1000, 12, 5, (r) => r.normal());
    for (let i = 0; i < 1000; i++) {
      const s = Math.exp(r0.normal()); // each neuron its own scale: a scale mixture, heavy-tailed
      for (let d = 0; d < 12; d++) W[i * 12 + d] *= s;
    }
    const m = gaussianity(W, 1000, 12);
    expect(m.gaussian).toBe(false);
    expect(Math.min(...m.kurtosis)).toBeGreaterThan(1);
  });
});

describe('wavegraph gaussianity', () => {
  it(
    'reports every learned layer of the cnn template at its Gaussian initialization as Gaussian',
    { timeout: 300_000 },
    async () => {
      const { run } = await import('../../src/cli/commands/gaussianity');
      const stdout: string[] = [];
      const stderr: string[] = [];
      const code = await run(['templates/cnn.json', '--backend', 'cpu', '--json'], {
        isTTY: false,
        out: (t) => stdout.push(t),
        err: (t) => stderr.push(t),
      });
      expect(stderr).toEqual([]);
      expect(code).toBe(0);
      const r = JSON.parse(stdout[0]);
      expect(r.weights).toBe('initialization (seed 1)');
      expect(r.layers.map((l: { node: string }) => l.node)).toEqual(['conv1', 'conv2', 'dense1', 'dense2']);
      for (const l of r.layers) {
        expect(l.gaussianity.gaussian, l.node).toBe(true);
        expect(l.gaussianity.kurtosis).toHaveLength(Math.min(l.neurons, l.inputs));
        expect(l.gaussianity.qq.normal).toHaveLength(101);
      }
    },
  );
});
