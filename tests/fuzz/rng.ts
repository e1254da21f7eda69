/** The fuzz tests' random choices, on the project's own seeded stream: a seed names a case for good. */
import { seededRandom } from '../../nodes/math/random';

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
  /** A short random identifier-ish string. */
  word(): string;
}

export function rng(seed: number): Rng {
  const r = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r.next() * (hi - lo + 1));
  return {
    next: r.next,
    int,
    pick: (list) => list[int(0, list.length - 1)],
    chance: (p) => r.next() < p,
    word: () => Array.from({ length: int(1, 10) }, () => 'abcdefghijklmnopqrstuvwxyz0123456789_-'[int(0, 37)]).join(''),
  };
}

/** Values of every JSON type and then some, for "wrong type" mutations. */
export function oddValue(g: Rng): unknown {
  return g.pick<() => unknown>([
    () => null,
    () => NaN,
    () => -Infinity,
    () => 1e308,
    () => -g.int(1, 1e9),
    () => 0.5,
    () => true,
    () => '',
    () => g.word(),
    () => [],
    () => [g.word(), 1],
    () => ({}),
    () => ({ [g.word()]: g.word() }),
  ])();
}
