/**
 * Mixed-radix complex FFT (self-sorting Stockham passes, radices 9, 4, 2, 3, 5 and a
 * direct DFT for any other prime), applied along the first axis of an [n][V] array so
 * that the innermost loop runs over V contiguous values. Many short transforms (all
 * the columns of a batch of images) then cost about as much as one long one.
 * Transforms are unnormalized in both directions; callers fold 1/n into their filters.
 * The plan and the driver are here; the passes are in fft-passes.ts and fft-pass9.ts.
 */
import { pass2, pass3, pass4, pass5, passGeneric, type Pass } from './fft-passes';
import { pass9 } from './fft-pass9';

export interface FftPlan {
  n: number;
  passes: Pass[];
}

const plans = new Map<number, FftPlan>();

function factorize(n: number): number[] {
  const f: number[] = [];
  // 9 before 4: a length like 36 takes two passes (9, 4) instead of three (4, 3, 3)
  while (n % 9 === 0) {
    f.push(9);
    n /= 9;
  }
  while (n % 4 === 0) {
    f.push(4);
    n /= 4;
  }
  while (n % 2 === 0) {
    f.push(2);
    n /= 2;
  }
  for (let p = 3; n > 1; p += 2) {
    while (n % p === 0) {
      f.push(p);
      n /= p;
    }
    if (p * p > n && n > 1) {
      f.push(n);
      break;
    }
  }
  return f;
}

/** Plan for length n (cached). */
export function fftPlan(n: number): FftPlan {
  let plan = plans.get(n);
  if (plan) return plan;
  const passes: Pass[] = [];
  let l1 = 1;
  for (const ip of n === 1 ? [] : factorize(n)) {
    const ido = n / (l1 * ip);
    const wr = new Float64Array((ip - 1) * ido);
    const wi = new Float64Array((ip - 1) * ido);
    for (let j = 1; j < ip; j++) {
      for (let i = 0; i < ido; i++) {
        const m = (j * i * l1) % n;
        wr[(j - 1) * ido + i] = Math.cos((2 * Math.PI * m) / n);
        wi[(j - 1) * ido + i] = -Math.sin((2 * Math.PI * m) / n);
      }
    }
    const cr = new Float64Array(ip);
    const ci = new Float64Array(ip);
    for (let q = 0; q < ip; q++) {
      cr[q] = Math.cos((2 * Math.PI * q) / ip);
      ci[q] = -Math.sin((2 * Math.PI * q) / ip);
    }
    passes.push({ ip, l1, ido, wr, wi, cr, ci });
    l1 *= ip;
  }
  plan = { n, passes };
  plans.set(n, plan);
  return plan;
}

/**
 * FFT along axis 0 of an [n][V] complex array (re, im), forward (sign -1) or inverse
 * (sign +1, unnormalized). tr/ti are scratch of at least n V values. The result is left
 * in re/im, or, with copyBack = false, in whichever pair the last pass wrote (returned
 * as true when that is the scratch pair).
 */
export function fftAxis0(
  plan: FftPlan,
  re: Float64Array,
  im: Float64Array,
  V: number,
  inverse: boolean,
  tr: Float64Array,
  ti: Float64Array,
  copyBack = true,
): boolean {
  let ar = re,
    ai = im,
    br = tr,
    bi = ti;
  const s = inverse ? -1 : 1; // multiplies the stored (forward) imaginary parts
  for (const p of plan.passes) {
    if (p.ip === 4) pass4(p, ar, ai, br, bi, V, s);
    else if (p.ip === 2) pass2(p, ar, ai, br, bi, V, s);
    else if (p.ip === 3) pass3(p, ar, ai, br, bi, V, s);
    else if (p.ip === 5) pass5(p, ar, ai, br, bi, V, s);
    else if (p.ip === 9) pass9(p, ar, ai, br, bi, V, s);
    else passGeneric(p, ar, ai, br, bi, V, s);
    const xr = ar;
    ar = br;
    br = xr;
    const xi = ai;
    ai = bi;
    bi = xi;
  }
  if (ar !== re && copyBack) {
    const len = plan.n * V;
    re.set(ar.subarray(0, len));
    im.set(ai.subarray(0, len));
    return false;
  }
  return ar !== re;
}
