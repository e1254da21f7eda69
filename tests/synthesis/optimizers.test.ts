/**
 * The pixel optimizers on problems with known minima: an ill-conditioned quadratic (the
 * shape of a microcanonical loss near its solution), and a loss that stops being finite.
 */
import { describe, expect, it } from 'vitest';
import { adam, lbfgs, type BatchObjective, type Objective } from '../../src/synthesis/optimizers';

/** ½ Σ c_i x_i², curvatures c_i spread log-uniformly over 1 … 10^decades. */
function quadratic(n: number, decades = 4): Objective {
  const c = Float64Array.from({ length: n }, (_, i) => 10 ** ((decades * i) / (n - 1)));
  return async (x) => {
    let value = 0;
    const grad = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      value += 0.5 * c[i] * x[i] * x[i];
      grad[i] = c[i] * x[i];
    }
    return { value, grad };
  };
}

/** Independent problems evaluated together, counting the evaluations. */
function together(...fs: Objective[]): BatchObjective & { calls: number } {
  const b = async (xs: Float64Array[]) => {
    b.calls++;
    const r = await Promise.all(xs.map((x, k) => fs[k](x)));
    return { values: r.map((e) => e.value), grads: r.map((e) => e.grad) };
  };
  b.calls = 0;
  return b;
}

const start = (n: number) => Float64Array.from({ length: n }, (_, i) => Math.cos(i * 1.7) + 0.5);

describe('lbfgs', () => {
  it('drives an ill-conditioned quadratic to its minimum, and every loss it reports decreases', async () => {
    const f = quadratic(300);
    const r = await lbfgs(together(f), [start(300)], { iterations: 400 });
    const initial = (await f(start(300))).value;
    expect(r.losses.at(-1)!).toBeLessThan(1e-8 * initial);
    r.losses.slice(1).forEach((l, i) => expect(l).toBeLessThanOrEqual(r.losses[i]));
    expect(Math.max(...r.x[0].map(Math.abs))).toBeLessThan(1e-3);
  });

  it('keeps a long memory by default: after 300 steps, a tenth of the loss that 10 pairs leave', async () => {
    const steps = 300;
    const f = quadratic(300);
    const long = await lbfgs(together(f), [start(300)], { iterations: steps });
    const short = await lbfgs(together(f), [start(300)], { iterations: steps, memory: 10 });
    expect(long.losses.at(-1)!).toBeLessThan(0.1 * short.losses.at(-1)!);
  });

  it('stops with the iteration when the loss is not finite at the start', async () => {
    const r = await lbfgs(
      together(quadratic(4), async (x) => ({ value: NaN, grad: new Float64Array(x.length) })),
      [start(4), start(4)],
      {
        iterations: 5,
      },
    );
    expect(r.diverged).toEqual({ iteration: 0, value: NaN });
  });

  it('searches each sample on its own: together, every sample ends where it would alone', async () => {
    // two problems of different conditioning, and a third that starts at its minimum
    const fs = [quadratic(50, 3), quadratic(50, 1), quadratic(50, 2)];
    const x0 = [start(50), start(50).map((v) => -2 * v), new Float64Array(50)];
    const both = together(...fs);
    const r = await lbfgs(both, x0, { iterations: 40 });
    let most = 0;
    let sum = 0;
    for (let k = 0; k < fs.length; k++) {
      const one = together(fs[k]);
      const a = await lbfgs(one, [x0[k]], { iterations: 40 });
      expect(Array.from(r.x[k])).toEqual(Array.from(a.x[0]));
      most = Math.max(most, one.calls);
      sum += one.calls;
    }
    // one evaluation of the batch serves every sample's line search at once: per step, as
    // many as the sample that backtracks most needs, far fewer than one search after another
    expect(both.calls).toBeGreaterThanOrEqual(most);
    expect(both.calls).toBeLessThan(0.6 * sum);
    expect(r.losses).toHaveLength(40);
  });
});

describe('adam', () => {
  it('reports the iteration where the loss stopped being finite', async () => {
    let calls = 0;
    const f: Objective = async (x) => {
      calls++;
      return { value: calls >= 3 ? Infinity : 1, grad: Float64Array.from(x, () => 1) };
    };
    const r = await adam(f, start(4), { iterations: 10 });
    expect(r.diverged).toEqual({ iteration: 3, value: Infinity });
    expect(r.losses).toEqual([1, 1]);
  });
});
