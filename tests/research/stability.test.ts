import { describe, expect, it } from 'vitest';
import { gaussianMatrix, seededRandom } from '../../nodes/math/linalg';
import { temperatureRange } from '../../src/research/deformation';
import { stabilityProbe, type FeatureFn } from '../../src/research/stability';

const H = 16,
  W = 16,
  C = 1;
const size = H * W * C;

/** Smooth random test images: a few random low-frequency waves each. */
function images(count: number, seed: number): Float32Array {
  const rng = seededRandom(seed);
  const out = new Float32Array(count * size);
  for (let n = 0; n < count; n++) {
    const waves = Array.from({ length: 4 }, () => [rng.next() * 3, rng.next() * 3, rng.next() * 6, rng.normal()]);
    for (let r = 0; r < H; r++) {
      for (let q = 0; q < W; q++) {
        let v = 0;
        for (const [a, b, ph, amp] of waves) v += amp * Math.sin((a * r + b * q) / 3 + ph);
        out[n * size + r * W + q] = 0.5 + 0.1 * v;
      }
    }
  }
  return out;
}

const identity: FeatureFn = (batch) => ({ input: batch });

/** A random two-layer ReLU network, reporting its hidden layer and its output. */
function randomNet(seed: number): FeatureFn {
  const hidden = 64,
    out = 10;
  const W1 = gaussianMatrix(seededRandom(seed), hidden, size, 1 / Math.sqrt(size));
  const W2 = gaussianMatrix(seededRandom(seed + 1), out, hidden, 1 / Math.sqrt(hidden));
  return (batch, count) => {
    const h = new Float32Array(count * hidden);
    const o = new Float32Array(count * out);
    for (let n = 0; n < count; n++) {
      for (let k = 0; k < hidden; k++) {
        let s = 0;
        for (let i = 0; i < size; i++) s += W1[k * size + i] * batch[n * size + i];
        h[n * hidden + k] = Math.max(s, 0);
      }
      for (let k = 0; k < out; k++) {
        let s = 0;
        for (let i = 0; i < hidden; i++) s += W2[k * hidden + i] * h[n * hidden + i];
        o[n * out + k] = s;
      }
    }
    return { hidden: h, output: o };
  };
}

const { Tmin, Tmax } = temperatureRange(H, 3);
const T = Math.sqrt(Tmin * Tmax);

describe('stabilityProbe', () => {
  it('gives D_f = 0 at T = 0 for every layer', async () => {
    const x = images(20, 1);
    const res = await stabilityProbe(randomNet(5), x, 20, { H, W, C }, { T: 0, c: 3, seed: 1 });
    expect(Object.keys(res.layers).sort()).toEqual(['hidden', 'output']);
    for (const layer of Object.values(res.layers)) {
      expect(layer.D).toBe(0);
      expect(layer.G).toBe(0); // the matched noise has the deformation's norm: zero
      expect(layer.pairDist2).toBeGreaterThan(0);
    }
    expect(res.displacement).toBe(0);
  });

  it('gives R_f = 1 for the identity map: the noise has exactly the deformation norm', async () => {
    const x = images(30, 2);
    const res = await stabilityProbe(identity, x, 30, { H, W, C }, { T, c: 3, seed: 2, batchSize: 7 });
    const layer = res.layers.input;
    expect(layer.D).toBeGreaterThan(0);
    expect(Math.abs(layer.R - 1)).toBeLessThan(1e-5);
    expect(res.samples).toBe(30);
    expect(res.displacement).toBeGreaterThan(0);
  });

  it('estimates R_f = 1 within its standard error when both perturbations are matched-norm noise', async () => {
    // Replace the deformation by isotropic noise of random size: then f(x + perturbation)
    // and f(x + eta) have the same law for any f, and E R_f = 1 up to the ratio's bias.
    const x = images(400, 3);
    const perturb = (img: Float32Array, _h: number, _w: number, _c: number, rng: ReturnType<typeof seededRandom>) => {
      const scale = 0.02 * (0.5 + rng.next());
      return Float32Array.from(img, (v) => v + scale * rng.normal());
    };
    const res = await stabilityProbe(randomNet(7), x, 400, { H, W, C }, { T, c: 3, seed: 3, perturb });
    for (const layer of Object.values(res.layers)) {
      expect(layer.logRStdErr).toBeGreaterThan(0);
      expect(layer.logRStdErr).toBeLessThan(0.1); // the sample is large enough to say something
      expect(Math.abs(Math.log(layer.R))).toBeLessThan(4 * layer.logRStdErr);
    }
  });

  it('finds a low-pass feature more sensitive to a smooth deformation than to noise of the same norm', async () => {
    // Averages over 4 x 4 blocks keep 1/16 of white noise's energy but most of the
    // low-frequency change a smooth deformation makes.
    const pool: FeatureFn = (batch, count) => {
      const out = new Float32Array(count * 16);
      for (let n = 0; n < count; n++)
        for (let r = 0; r < H; r++)
          for (let q = 0; q < W; q++) out[n * 16 + (r >> 2) * 4 + (q >> 2)] += batch[n * size + r * W + q] / 16;
      return { pooled: out };
    };
    const x = images(60, 4);
    const res = await stabilityProbe(pool, x, 60, { H, W, C }, { T, c: 3, seed: 4 });
    expect(res.layers.pooled.R).toBeGreaterThan(3);
  });

  it('is deterministic by seed, accepts an async f and processes a subset', async () => {
    const x = images(25, 5);
    const f: FeatureFn = async (batch, count) => randomNet(9)(batch, count);
    const a = await stabilityProbe(f, x, 25, { H, W, C }, { T, c: 3, seed: 8, samples: 11, batchSize: 5 });
    const b = await stabilityProbe(f, x, 25, { H, W, C }, { T, c: 3, seed: 8, samples: 11, batchSize: 5 });
    const c = await stabilityProbe(f, x, 25, { H, W, C }, { T, c: 3, seed: 9, samples: 11, batchSize: 5 });
    expect(a).toEqual(b);
    expect(a.samples).toBe(11);
    expect(c.layers.output.D).not.toBe(a.layers.output.D);
  });

  it('rejects features whose size does not match the batch, and too few images', async () => {
    const x = images(4, 6);
    const bad: FeatureFn = (_b, count) => ({ broken: new Float32Array(count * 3 + 1) });
    await expect(stabilityProbe(bad, x, 4, { H, W, C }, { T, c: 3 })).rejects.toThrow(/broken/);
    await expect(stabilityProbe(identity, x, 1, { H, W, C }, { T, c: 3 })).rejects.toThrow(/two test images/);
  });
});
