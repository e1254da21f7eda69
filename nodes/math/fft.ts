/**
 * Mixed-radix complex FFT (self-sorting Stockham passes, radices 9, 4, 2, 3, 5 and a
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

const C91 = Math.cos((2 * Math.PI) / 9),
  S91 = Math.sin((2 * Math.PI) / 9),
  C92 = Math.cos((4 * Math.PI) / 9),
  S92 = Math.sin((4 * Math.PI) / 9),
  C94 = Math.cos((8 * Math.PI) / 9),
  S94 = Math.sin((8 * Math.PI) / 9);

/**
 * Radix 9 as 3 x 3 in registers (three 3-point transforms, the inner twiddles, three
 * more), which reads and writes the array once where two radix-3 passes did it twice.
 */
function pass9(
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
  const c = -s * C3;
  // inner twiddles exp(-+2 pi i k / 9), k = 1, 2, 4
  const u1r = C91,
    u1i = -s * S91,
    u2r = C92,
    u2i = -s * S92,
    u4r = C94,
    u4i = -s * S94;
  for (let k = 0; k < l1; k++) {
    for (let i = 0; i < ido; i++) {
      const a0 = (i + ido * 9 * k) * V;
      const b0 = (i + ido * k) * V;
      const first = i === 0;
      const w1r = first ? 1 : wr[0 * ido + i],
        w1i = first ? 0 : s * wi[0 * ido + i];
      const w2r = first ? 1 : wr[1 * ido + i],
        w2i = first ? 0 : s * wi[1 * ido + i];
      const w3r = first ? 1 : wr[2 * ido + i],
        w3i = first ? 0 : s * wi[2 * ido + i];
      const w4r = first ? 1 : wr[3 * ido + i],
        w4i = first ? 0 : s * wi[3 * ido + i];
      const w5r = first ? 1 : wr[4 * ido + i],
        w5i = first ? 0 : s * wi[4 * ido + i];
      const w6r = first ? 1 : wr[5 * ido + i],
        w6i = first ? 0 : s * wi[5 * ido + i];
      const w7r = first ? 1 : wr[6 * ido + i],
        w7i = first ? 0 : s * wi[6 * ido + i];
      const w8r = first ? 1 : wr[7 * ido + i],
        w8i = first ? 0 : s * wi[7 * ido + i];
      for (let v = 0; v < V; v++) {
        const x0r = ar[a0 + 0 * st + v],
          x0i = ai[a0 + 0 * st + v];
        const x1r = ar[a0 + 1 * st + v],
          x1i = ai[a0 + 1 * st + v];
        const x2r = ar[a0 + 2 * st + v],
          x2i = ai[a0 + 2 * st + v];
        const x3r = ar[a0 + 3 * st + v],
          x3i = ai[a0 + 3 * st + v];
        const x4r = ar[a0 + 4 * st + v],
          x4i = ai[a0 + 4 * st + v];
        const x5r = ar[a0 + 5 * st + v],
          x5i = ai[a0 + 5 * st + v];
        const x6r = ar[a0 + 6 * st + v],
          x6i = ai[a0 + 6 * st + v];
        const x7r = ar[a0 + 7 * st + v],
          x7i = ai[a0 + 7 * st + v];
        const x8r = ar[a0 + 8 * st + v],
          x8i = ai[a0 + 8 * st + v];
        const p0tr = x3r + x6r,
          p0ti = x3i + x6i,
          p0dr = x3r - x6r,
          p0di = x3i - x6i;
        const p0mr = x0r - 0.5 * p0tr,
          p0mi = x0i - 0.5 * p0ti;
        const p00r = x0r + p0tr,
          p00i = x0i + p0ti;
        const p01r = p0mr - c * p0di,
          p01i = p0mi + c * p0dr;
        const p02r = p0mr + c * p0di,
          p02i = p0mi - c * p0dr;
        const p1tr = x4r + x7r,
          p1ti = x4i + x7i,
          p1dr = x4r - x7r,
          p1di = x4i - x7i;
        const p1mr = x1r - 0.5 * p1tr,
          p1mi = x1i - 0.5 * p1ti;
        const p10r = x1r + p1tr,
          p10i = x1i + p1ti;
        const p11r = p1mr - c * p1di,
          p11i = p1mi + c * p1dr;
        const p12r = p1mr + c * p1di,
          p12i = p1mi - c * p1dr;
        const p2tr = x5r + x8r,
          p2ti = x5i + x8i,
          p2dr = x5r - x8r,
          p2di = x5i - x8i;
        const p2mr = x2r - 0.5 * p2tr,
          p2mi = x2i - 0.5 * p2ti;
        const p20r = x2r + p2tr,
          p20i = x2i + p2ti;
        const p21r = p2mr - c * p2di,
          p21i = p2mi + c * p2dr;
        const p22r = p2mr + c * p2di,
          p22i = p2mi - c * p2dr;
        const p11wr = p11r * u1r - p11i * u1i,
          p11wi = p11r * u1i + p11i * u1r;
        const p12wr = p12r * u2r - p12i * u2i,
          p12wi = p12r * u2i + p12i * u2r;
        const p21wr = p21r * u2r - p21i * u2i,
          p21wi = p21r * u2i + p21i * u2r;
        const p22wr = p22r * u4r - p22i * u4i,
          p22wi = p22r * u4i + p22i * u4r;
        const z0tr = p10r + p20r,
          z0ti = p10i + p20i,
          z0dr = p10r - p20r,
          z0di = p10i - p20i;
        const z0mr = p00r - 0.5 * z0tr,
          z0mi = p00i - 0.5 * z0ti;
        const z00r = p00r + z0tr,
          z00i = p00i + z0ti;
        const z01r = z0mr - c * z0di,
          z01i = z0mi + c * z0dr;
        const z02r = z0mr + c * z0di,
          z02i = z0mi - c * z0dr;
        const z1tr = p11wr + p21wr,
          z1ti = p11wi + p21wi,
          z1dr = p11wr - p21wr,
          z1di = p11wi - p21wi;
        const z1mr = p01r - 0.5 * z1tr,
          z1mi = p01i - 0.5 * z1ti;
        const z10r = p01r + z1tr,
          z10i = p01i + z1ti;
        const z11r = z1mr - c * z1di,
          z11i = z1mi + c * z1dr;
        const z12r = z1mr + c * z1di,
          z12i = z1mi - c * z1dr;
        const z2tr = p12wr + p22wr,
          z2ti = p12wi + p22wi,
          z2dr = p12wr - p22wr,
          z2di = p12wi - p22wi;
        const z2mr = p02r - 0.5 * z2tr,
          z2mi = p02i - 0.5 * z2ti;
        const z20r = p02r + z2tr,
          z20i = p02i + z2ti;
        const z21r = z2mr - c * z2di,
          z21i = z2mi + c * z2dr;
        const z22r = z2mr + c * z2di,
          z22i = z2mi - c * z2dr;
        br[b0 + v] = z00r;
        bi[b0 + v] = z00i;
        br[b0 + 1 * ot + v] = z10r * w1r - z10i * w1i;
        bi[b0 + 1 * ot + v] = z10r * w1i + z10i * w1r;
        br[b0 + 2 * ot + v] = z20r * w2r - z20i * w2i;
        bi[b0 + 2 * ot + v] = z20r * w2i + z20i * w2r;
        br[b0 + 3 * ot + v] = z01r * w3r - z01i * w3i;
        bi[b0 + 3 * ot + v] = z01r * w3i + z01i * w3r;
        br[b0 + 4 * ot + v] = z11r * w4r - z11i * w4i;
        bi[b0 + 4 * ot + v] = z11r * w4i + z11i * w4r;
        br[b0 + 5 * ot + v] = z21r * w5r - z21i * w5i;
        bi[b0 + 5 * ot + v] = z21r * w5i + z21i * w5r;
        br[b0 + 6 * ot + v] = z02r * w6r - z02i * w6i;
        bi[b0 + 6 * ot + v] = z02r * w6i + z02i * w6r;
        br[b0 + 7 * ot + v] = z12r * w7r - z12i * w7i;
        bi[b0 + 7 * ot + v] = z12r * w7i + z12i * w7r;
        br[b0 + 8 * ot + v] = z22r * w8r - z22i * w8i;
        bi[b0 + 8 * ot + v] = z22r * w8i + z22i * w8r;
      }
    }
  }
}
