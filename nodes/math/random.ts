/**
 * Seeded random numbers: the same seed gives the same stream on every platform, so
 * a graph's initial weights, random features and data order are reproducible.
 * xoshiro128** on four 32-bit words, seeded through a splitmix32 mixer so that nearby
 * seeds give unrelated streams; uniforms carry 53 random bits; normals come from
 * Box-Muller (the second value of each pair is kept for the next call).
 */
import type { SeededRandom } from '../types';

export function seededRandom(seed: number): SeededRandom {
  let x = seed >>> 0 || 0x9e3779b9;
  const mix = (): number => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = mix(),
    s1 = mix(),
    s2 = mix(),
    s3 = mix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const u32 = (): number => {
    const out = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3 >>> 0, 11);
    s0 >>>= 0;
    s1 >>>= 0;
    s2 >>>= 0;
    return out;
  };
  const next = (): number => ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992;
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    let u = next();
    while (u === 0) u = next();
    const rad = Math.sqrt(-2 * Math.log(u));
    const ang = 2 * Math.PI * next();
    spare = rad * Math.sin(ang);
    return rad * Math.cos(ang);
  };
  return { next, normal, seed: () => u32() >>> 1 };
}

function rotl(v: number, k: number): number {
  return ((v << k) | (v >>> (32 - k))) >>> 0;
}

/** Fisher-Yates shuffle of 0..n-1 driven by a seeded stream. */
export function permutation(n: number, random: SeededRandom): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
