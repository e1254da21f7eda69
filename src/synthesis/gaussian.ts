/**
 * The Gaussian model of a stationary field: keep the modulus of the target's Fourier
 * transform (its power spectrum, hence every second-order moment) and draw the phases
 * at random, from the transform of white noise so that the result stays real. No
 * optimization: this is the baseline every maximum-entropy sample is compared with.
 */
import { seededRandom } from '../../nodes/math/random';
import { fft2 } from './fft2';

/**
 * `count` real n x n fields whose Fourier transform has modulus `amp` (n² values, row
 * major) at every non-zero frequency, `mean` · n² at zero, and random phases.
 */
function randomPhases(amp: Float64Array, mean: number, n: number, count: number, seed: number): Float32Array {
  const size = n * n;
  const random = seededRandom(seed);
  const out = new Float32Array(count * size);
  for (let s = 0; s < count; s++) {
    const wr = new Float64Array(size);
    const wi = new Float64Array(size);
    for (let i = 0; i < size; i++) wr[i] = random.normal();
    fft2(wr, wi, n, n);
    for (let i = 0; i < size; i++) {
      const w = Math.hypot(wr[i], wi[i]);
      if (i === 0 || w === 0) {
        wr[i] = i === 0 ? mean * size : 0;
        wi[i] = 0;
      } else {
        wr[i] *= amp[i] / w;
        wi[i] *= amp[i] / w;
      }
    }
    fft2(wr, wi, n, n, true);
    for (let i = 0; i < size; i++) out[s * size + i] = wr[i];
  }
  return out;
}

/** `count` Gaussian samples [count, n, n] with the power spectrum (and mean) of the n x n target. */
export function gaussianSamples(target: Float32Array, n: number, count: number, seed: number): Float32Array {
  const size = n * n;
  const tr = Float64Array.from(target.subarray(0, size));
  const ti = new Float64Array(size);
  fft2(tr, ti, n, n);
  const amp = Float64Array.from(tr, (re, i) => Math.hypot(re, ti[i]));
  return randomPhases(amp, tr[0] / size, n, count, seed);
}

/**
 * White noise with an exactly flat power spectrum: unit power at every non-zero
 * frequency, zero mean, random phases. Gaussian white noise gives each frequency an
 * exponentially distributed power instead; at the coarsest scales, where a wavelet's
 * band holds a few dozen frequencies, statistics that average over the band cannot
 * undo that draw, and the sample inherits it (see synthesize).
 */
export function flatSpectrumNoise(n: number, count: number, seed: number): Float32Array {
  return randomPhases(new Float64Array(n * n).fill(n), 0, n, count, seed);
}
