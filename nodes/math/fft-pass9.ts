/** The radix-9 pass of the mixed-radix FFT (fft.ts), unrolled: it runs on every J = 2 grid. */
import { C3, type Pass } from './fft-passes';

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
export function pass9(
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
