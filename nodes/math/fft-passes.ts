/**
 * The Stockham passes of the mixed-radix FFT (fft.ts): radices 2, 4, 3 and 5 written
 * out, and a direct DFT for any other prime. Radix 9 is in fft-pass9.ts.
 */

export interface Pass {
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

// Each pass reads element (i + ido (j + ip k)) and writes (i + ido (k + l1 j')),
// every element being V contiguous values.

export function pass2(
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

export function pass4(
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

export const C3 = Math.sqrt(3) / 2;

export function pass3(
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

export function pass5(
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

export function passGeneric(
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
