/**
 * The pixel optimizers on problems with known minima: an ill-conditioned quadratic (the
 * shape of a microcanonical loss near its solution), and a loss that stops being finite.
 */
import { describe, expect, it } from 'vitest';
import { adam, lbfgs, type Objective } from '../../src/synthesis/optimizers';

/** ½ Σ c_i x_i², curvatures c_i spread log-uniformly over 1 … 10⁴. */
function quadratic(n: number): Objective {
  const c = Float64Array.from({ length: n }, (_, i) => 10 ** ((4 * i) / (n - 1)));
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

const start = (n: number) => Float64Array.from({ length: n }, (_, i) => Math.cos(i * 1.7) + 0.5);

describe('lbfgs', () => {
  it('drives an ill-conditioned quadratic to its minimum, and every loss it reports decreases', async () => {
    const f = quadratic(300);
    const r = await lbfgs(f, start(300), { iterations: 400 });
    const initial = (await f(start(300))).value;
    expect(r.losses.at(-1)!).toBeLessThan(1e-8 * initial);
    r.losses.slice(1).forEach((l, i) => expect(l).toBeLessThanOrEqual(r.losses[i]));
    expect(Math.max(...r.x.map(Math.abs))).toBeLessThan(1e-3);
  });

  it('keeps a long memory by default: after 300 steps, a tenth of the loss that 10 pairs leave', async () => {
    const steps = 300;
    const f = quadratic(300);
    const long = await lbfgs(f, start(300), { iterations: steps });
    const short = await lbfgs(f, start(300), { iterations: steps, memory: 10 });
    expect(long.losses.at(-1)!).toBeLessThan(0.1 * short.losses.at(-1)!);
  });

  it('stops with the iteration when the loss is not finite at the start', async () => {
    const r = await lbfgs(async (x) => ({ value: NaN, grad: new Float64Array(x.length) }), start(4), {
      iterations: 5,
    });
    expect(r.diverged).toEqual({ iteration: 0, value: NaN });
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
