/**
 * Mixed-radix complex FFT (self-sorting Stockham passes, radices 4, 2, 3, 5 and a
 * direct DFT for any other prime), applied along the first axis of an [n][V] array so
 * that the innermost loop runs over V contiguous values. Many short transforms (all
 * the columns of a batch of images) then cost about as much as one long one.
 * Transforms are unnormalized in both directions; callers fold 1/n into their filters.
 */

interface Pass {
  ip: number;
  l1: number;
  ido: number;
  /** Twiddle exp(-2 pi i j i' l1 / n) at index (j - 1) * ido + i'. */
  wr: Float64Array;
  wi: Float64Array;
  /** Roots of unity of the radix, for the generic pass: exp(-2 pi i q / ip). */
  cr: Float64Array;
  ci: Float64Array;
}

export interface FftPlan {
  n: number;
  passes: Pass[];
}

const plans = new Map<number, FftPlan>();

function factorize(n: number): number[] {
  const f: number[] = [];
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

// Each pass reads element (i + ido (j + ip k)) and writes (i + ido (k + l1 j')),
// every element being V contiguous values.

function pass2(
  p: Pass,
  ar: Float64Array,
  ai: Float64Array,
  br: Float64Array,
  bi: Float64Array,
  V: number,
  s: number,
): void {
  const { l1, ido, wr, wi } = p;
  for (let k = 0; k < l1; k++) {
    for (let i = 0; i < ido; i++) {
      const a0 = (i + ido * 2 * k) * V,
        a1 = a0 + ido * V;
      const b0 = (i + ido * k) * V,
        b1 = b0 + ido * l1 * V;
      if (i === 0) {
        for (let v = 0; v < V; v++) {
          const xr = ar[a0 + v],
            xi = ai[a0 + v],
            yr = ar[a1 + v],
            yi = ai[a1 + v];
          br[b0 + v] = xr + yr;
          bi[b0 + v] = xi + yi;
          br[b1 + v] = xr - yr;
          bi[b1 + v] = xi - yi;
        }
        continue;
      }
      const w1r = wr[i],
        w1i = s * wi[i];
      for (let v = 0; v < V; v++) {
        const xr = ar[a0 + v],
          xi = ai[a0 + v],
          yr = ar[a1 + v],
          yi = ai[a1 + v];
        br[b0 + v] = xr + yr;
        bi[b0 + v] = xi + yi;
        const dr = xr - yr,
          di = xi - yi;
        br[b1 + v] = dr * w1r - di * w1i;
        bi[b1 + v] = dr * w1i + di * w1r;
      }
    }
  }
}

function pass4(
  p: Pass,
  ar: Float64Array,
  ai: Float64Array,
  br: Float64Array,
  bi: Float64Array,
  V: number,
  s: number,
): void {
  const { l1, ido, wr, wi } = p;
  const st = ido * V,
    ot = ido * l1 * V;
  for (let k = 0; k < l1; k++) {
    for (let i = 0; i < ido; i++) {
      const a0 = (i + ido * 4 * k) * V;
      const b0 = (i + ido * k) * V;
      if (i === 0) {
        for (let v = 0; v < V; v++) {
          const x0r = ar[a0 + v],
            x0i = ai[a0 + v];
          const x1r = ar[a0 + st + v],
            x1i = ai[a0 + st + v];
          const x2r = ar[a0 + 2 * st + v],
            x2i = ai[a0 + 2 * st + v];
          const x3r = ar[a0 + 3 * st + v],
            x3i = ai[a0 + 3 * st + v];
          const t0r = x0r + x2r,
            t0i = x0i + x2i,
            t1r = x0r - x2r,
            t1i = x0i - x2i;
          const t2r = x1r + x3r,
            t2i = x1i + x3i,
            t3r = x1r - x3r,
            t3i = x1i - x3i;
          br[b0 + v] = t0r + t2r;
          bi[b0 + v] = t0i + t2i;
          br[b0 + ot + v] = t1r + s * t3i;
          bi[b0 + ot + v] = t1i - s * t3r;
          br[b0 + 2 * ot + v] = t0r - t2r;
          bi[b0 + 2 * ot + v] = t0i - t2i;
          br[b0 + 3 * ot + v] = t1r - s * t3i;
          bi[b0 + 3 * ot + v] = t1i + s * t3r;
        }
        continue;
      }
      const w1r = wr[i],
        w1i = s * wi[i],
        w2r = wr[ido + i],
        w2i = s * wi[ido + i],
        w3r = wr[2 * ido + i],
        w3i = s * wi[2 * ido + i];
      for (let v = 0; v < V; v++) {
        const x0r = ar[a0 + v],
          x0i = ai[a0 + v];
        const x1r = ar[a0 + st + v],
          x1i = ai[a0 + st + v];
        const x2r = ar[a0 + 2 * st + v],
          x2i = ai[a0 + 2 * st + v];
        const x3r = ar[a0 + 3 * st + v],
          x3i = ai[a0 + 3 * st + v];
        const t0r = x0r + x2r,
          t0i = x0i + x2i,
          t1r = x0r - x2r,
          t1i = x0i - x2i;
        const t2r = x1r + x3r,
          t2i = x1i + x3i,
          t3r = x1r - x3r,
          t3i = x1i - x3i;
        // forward: y1 = t1 - i t3, y3 = t1 + i t3 (s flips for the inverse)
        const y1r = t1r + s * t3i,
          y1i = t1i - s * t3r;
        const y3r = t1r - s * t3i,
          y3i = t1i + s * t3r;
        const y2r = t0r - t2r,
          y2i = t0i - t2i;
        br[b0 + v] = t0r + t2r;
        bi[b0 + v] = t0i + t2i;
        br[b0 + ot + v] = y1r * w1r - y1i * w1i;
        bi[b0 + ot + v] = y1r * w1i + y1i * w1r;
        br[b0 + 2 * ot + v] = y2r * w2r - y2i * w2i;
        bi[b0 + 2 * ot + v] = y2r * w2i + y2i * w2r;
        br[b0 + 3 * ot + v] = y3r * w3r - y3i * w3i;
        bi[b0 + 3 * ot + v] = y3r * w3i + y3i * w3r;
      }
    }
  }
}

const C3 = Math.sqrt(3) / 2;

function pass3(
  p: Pass,
  ar: Float64Array,
  ai: Float64Array,
  br: Float64Array,
  bi: Float64Array,
  V: number,
  s: number,
): void {
  const { l1, ido, wr, wi } = p;
  const st = ido * V,
    ot = ido * l1 * V;
  const c = -s * C3; // forward: y1 = a0 - t/2 - i (sqrt3/2) d
  for (let k = 0; k < l1; k++) {
    for (let i = 0; i < ido; i++) {
      const a0 = (i + ido * 3 * k) * V;
      const b0 = (i + ido * k) * V;
      if (i === 0) {
        for (let v = 0; v < V; v++) {
          const x0r = ar[a0 + v],
            x0i = ai[a0 + v];
          const x1r = ar[a0 + st + v],
            x1i = ai[a0 + st + v];
          const x2r = ar[a0 + 2 * st + v],
            x2i = ai[a0 + 2 * st + v];
          const tr = x1r + x2r,
            ti = x1i + x2i,
            dr = x1r - x2r,
            di = x1i - x2i;
          const mr = x0r - 0.5 * tr,
            mi = x0i - 0.5 * ti;
          br[b0 + v] = x0r + tr;
          bi[b0 + v] = x0i + ti;
          br[b0 + ot + v] = mr - c * di;
          bi[b0 + ot + v] = mi + c * dr;
          br[b0 + 2 * ot + v] = mr + c * di;
          bi[b0 + 2 * ot + v] = mi - c * dr;
        }
        continue;
      }
      const w1r = wr[i],
        w1i = s * wi[i],
        w2r = wr[ido + i],
        w2i = s * wi[ido + i];
      for (let v = 0; v < V; v++) {
        const x0r = ar[a0 + v],
          x0i = ai[a0 + v];
        const x1r = ar[a0 + st + v],
          x1i = ai[a0 + st + v];
        const x2r = ar[a0 + 2 * st + v],
          x2i = ai[a0 + 2 * st + v];
        const tr = x1r + x2r,
          ti = x1i + x2i,
          dr = x1r - x2r,
          di = x1i - x2i;
        const mr = x0r - 0.5 * tr,
          mi = x0i - 0.5 * ti;
        const y1r = mr - c * di,
          y1i = mi + c * dr;
        const y2r = mr + c * di,
          y2i = mi - c * dr;
        br[b0 + v] = x0r + tr;
        bi[b0 + v] = x0i + ti;
        br[b0 + ot + v] = y1r * w1r - y1i * w1i;
        bi[b0 + ot + v] = y1r * w1i + y1i * w1r;
        br[b0 + 2 * ot + v] = y2r * w2r - y2i * w2i;
        bi[b0 + 2 * ot + v] = y2r * w2i + y2i * w2r;
      }
    }
  }
}

const C51 = Math.cos((2 * Math.PI) / 5),
  C52 = Math.cos((4 * Math.PI) / 5);
const S51 = Math.sin((2 * Math.PI) / 5),
  S52 = Math.sin((4 * Math.PI) / 5);

function pass5(
  p: Pass,
  ar: Float64Array,
  ai: Float64Array,
  br: Float64Array,
  bi: Float64Array,
  V: number,
  s: number,
): void {
  const { l1, ido, wr, wi } = p;
  const st = ido * V,
    ot = ido * l1 * V;
  const s1 = -s * S51,
    s2 = -s * S52; // forward roots have negative sines
  for (let k = 0; k < l1; k++) {
    for (let i = 0; i < ido; i++) {
      const a0 = (i + ido * 5 * k) * V;
      const b0 = (i + ido * k) * V;
      const w1r = wr[i],
        w1i = s * wi[i],
        w2r = wr[ido + i],
        w2i = s * wi[ido + i];
      const w3r = wr[2 * ido + i],
        w3i = s * wi[2 * ido + i],
        w4r = wr[3 * ido + i],
        w4i = s * wi[3 * ido + i];
      for (let v = 0; v < V; v++) {
        const x0r = ar[a0 + v],
          x0i = ai[a0 + v];
        const x1r = ar[a0 + st + v],
          x1i = ai[a0 + st + v];
        const x2r = ar[a0 + 2 * st + v],
          x2i = ai[a0 + 2 * st + v];
        const x3r = ar[a0 + 3 * st + v],
          x3i = ai[a0 + 3 * st + v];
        const x4r = ar[a0 + 4 * st + v],
          x4i = ai[a0 + 4 * st + v];
        const t1r = x1r + x4r,
          t1i = x1i + x4i,
          d1r = x1r - x4r,
          d1i = x1i - x4i;
        const t2r = x2r + x3r,
          t2i = x2i + x3i,
          d2r = x2r - x3r,
          d2i = x2i - x3i;
        const m1r = x0r + C51 * t1r + C52 * t2r,
          m1i = x0i + C51 * t1i + C52 * t2i;
        const m2r = x0r + C52 * t1r + C51 * t2r,
          m2i = x0i + C52 * t1i + C51 * t2i;
        // i * (s1 d1 + s2 d2) and i * (s2 d1 - s1 d2)
        const n1r = -(s1 * d1i + s2 * d2i),
          n1i = s1 * d1r + s2 * d2r;
        const n2r = -(s2 * d1i - s1 * d2i),
          n2i = s2 * d1r - s1 * d2r;
        const y1r = m1r + n1r,
          y1i = m1i + n1i,
          y4r = m1r - n1r,
          y4i = m1i - n1i;
        const y2r = m2r + n2r,
          y2i = m2i + n2i,
          y3r = m2r - n2r,
          y3i = m2i - n2i;
        br[b0 + v] = x0r + t1r + t2r;
        bi[b0 + v] = x0i + t1i + t2i;
        if (i === 0) {
          // first column of every block: all twiddles are 1
          br[b0 + ot + v] = y1r;
          bi[b0 + ot + v] = y1i;
          br[b0 + 2 * ot + v] = y2r;
          bi[b0 + 2 * ot + v] = y2i;
          br[b0 + 3 * ot + v] = y3r;
          bi[b0 + 3 * ot + v] = y3i;
          br[b0 + 4 * ot + v] = y4r;
          bi[b0 + 4 * ot + v] = y4i;
          continue;
        }
        br[b0 + ot + v] = y1r * w1r - y1i * w1i;
        bi[b0 + ot + v] = y1r * w1i + y1i * w1r;
        br[b0 + 2 * ot + v] = y2r * w2r - y2i * w2i;
        bi[b0 + 2 * ot + v] = y2r * w2i + y2i * w2r;
        br[b0 + 3 * ot + v] = y3r * w3r - y3i * w3i;
        bi[b0 + 3 * ot + v] = y3r * w3i + y3i * w3r;
        br[b0 + 4 * ot + v] = y4r * w4r - y4i * w4i;
        bi[b0 + 4 * ot + v] = y4r * w4i + y4i * w4r;
      }
    }
  }
}

function passGeneric(
  p: Pass,
  ar: Float64Array,
  ai: Float64Array,
  br: Float64Array,
  bi: Float64Array,
  V: number,
  s: number,
): void {
  const { ip, l1, ido, wr, wi, cr, ci } = p;
  const st = ido * V,
    ot = ido * l1 * V;
  for (let k = 0; k < l1; k++) {
    for (let i = 0; i < ido; i++) {
      const a0 = (i + ido * ip * k) * V;
      const b0 = (i + ido * k) * V;
      for (let q = 0; q < ip; q++) {
        const twr = q === 0 ? 1 : wr[(q - 1) * ido + i];
        const twi = q === 0 ? 0 : s * wi[(q - 1) * ido + i];
        const ob = b0 + q * ot;
        for (let v = 0; v < V; v++) {
          let yr = 0,
            yi = 0;
          for (let j = 0; j < ip; j++) {
            const m = (j * q) % ip;
            const c = cr[m],
              sn = s * ci[m];
            const xr = ar[a0 + j * st + v],
              xi = ai[a0 + j * st + v];
            yr += xr * c - xi * sn;
            yi += xr * sn + xi * c;
          }
          br[ob + v] = yr * twr - yi * twi;
          bi[ob + v] = yr * twi + yi * twr;
        }
      }
    }
  }
}
