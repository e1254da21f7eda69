import { describe, expect, it } from 'vitest';
import { makeSynthetic, SYNTHETIC_CLASS_NAMES } from '../../src/data/synthetic';
import { sameValues } from './files';

describe('synthetic dataset', () => {
  it('has 10 named classes of 28x28x1 images in [0, 1]', () => {
    const ds = makeSynthetic({ train: 200, test: 50 });
    expect(ds.name).toBe('synthetic');
    expect(ds.shape).toEqual([28, 28, 1]);
    expect(ds.classes).toBe(10);
    expect(ds.classNames).toEqual(SYNTHETIC_CLASS_NAMES);
    expect(new Set(ds.classNames).size).toBe(10);
    expect(ds.train.images.length).toBe(200 * 784);
    expect(ds.test.images.length).toBe(50 * 784);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of ds.train.images) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(hi - lo).toBeGreaterThan(0.5);
  });

  it('is the same for the same seed and different for another seed', () => {
    const a = makeSynthetic({ seed: 3, train: 100, test: 20 });
    const b = makeSynthetic({ seed: 3, train: 100, test: 20 });
    const c = makeSynthetic({ seed: 4, train: 100, test: 20 });
    expect(sameValues(b.train.images, a.train.images)).toBe(true);
    expect(sameValues(b.train.labels, a.train.labels)).toBe(true);
    expect(sameValues(b.test.images, a.test.images)).toBe(true);
    expect(sameValues(c.train.images, a.train.images)).toBe(false);
    expect(sameValues(c.train.labels, a.train.labels)).toBe(false);
  });

  it('gives a prefix for fewer samples and a test split independent of the train size', () => {
    const big = makeSynthetic({ seed: 5, train: 60, test: 30 });
    const small = makeSynthetic({ seed: 5, train: 17, test: 30 });
    expect(sameValues(small.train.images, big.train.images.subarray(0, 17 * 784))).toBe(true);
    expect(sameValues(small.train.labels, big.train.labels.subarray(0, 17))).toBe(true);
    expect(sameValues(small.test.images, big.test.images)).toBe(true);
    // Train and test are different images, not a copy.
    expect(sameValues(big.test.images.subarray(0, 784), big.train.images.subarray(0, 784))).toBe(false);
  });

  it('balances the classes and does not list them in order', () => {
    const ds = makeSynthetic({ seed: 9, train: 1000, test: 200 });
    for (const split of [ds.train, ds.test]) {
      const counts = new Array(10).fill(0);
      for (const l of split.labels) counts[l]++;
      expect(counts).toEqual(new Array(10).fill(split.count / 10));
    }
    const first20 = Array.from(ds.train.labels.subarray(0, 20));
    expect(
      sameValues(
        first20,
        first20.map((_, i) => i % 10),
      ),
    ).toBe(false);
  });

  it('uses defaults of 6000 training and 1000 test images', () => {
    const ds = makeSynthetic();
    expect(ds.train.count).toBe(6000);
    expect(ds.test.count).toBe(1000);
  });
});
