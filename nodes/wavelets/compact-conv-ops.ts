/**
 * A circular convolution with filters of compact support (a few taps on each side),
 * as one strided spatial convolution: the periodic grid is wrapped around by the
 * filter's reach, cropped to the outputs kept, and correlated with the flipped taps.
 * For small supports this is far less work than the DFT-matrix path of spectral-ops.ts,
 * and it trains with the fast convolution gradients of conv-ops.ts. Same result: tap
 * t of a filter of S taps sits at offset t - floor(S / 2), as in centredDftSpec.
 */
import type { TF, Tensor } from '../types';
import { trainableConv2d } from '../standard/conv-ops';
import { matMulConst } from '../math/matmul-ops';
import type { SpectralGrid } from './wavelet-geometry';

/** Benchmarks switch this off to time the DFT path it replaced, in the same run. */
export const compactConvolution = { enabled: true };

/** x along `axis` with `before` samples from its end in front and `after` from its start behind. */
function wrap(tf: TF, x: Tensor, axis: 1 | 2, before: number, after: number): Tensor {
  if (!before && !after) return x;
  const n = x.shape[axis] as number;
  if (axis === 2) return wrapLast(tf, x, n, before, after);
  const parts: Tensor[] = [];
  const begin = [0, 0, 0, 0];
  const size = [-1, -1, -1, -1];
  if (before)
    parts.push(
      tf.slice(
        x,
        begin.map((v, i) => (i === axis ? n - before : v)),
        size.map((v, i) => (i === axis ? before : v)),
      ),
    );
  parts.push(x);
  if (after)
    parts.push(
      tf.slice(
        x,
        begin,
        size.map((v, i) => (i === axis ? after : v)),
      ),
    );
  return tf.concat(parts, axis);
}

const wrapMatrices = new Map<string, Float32Array>();

/**
 * The columns of planes [P, h, n, 1] wrapped, as one product with a 0/1 matrix [n, m]
 * (each output column is exactly one input column: the other terms are zeros). A
 * concatenation along this axis copies runs of a few values on WASM and took longer
 * than the convolution's forward pass; the product's gradient sums the copies back.
 */
function wrapLast(tf: TF, x: Tensor, n: number, before: number, after: number): Tensor {
  const m = before + n + after;
  const key = `${n}:${before}:${after}`;
  let data = wrapMatrices.get(key);
  if (!data) {
    data = new Float32Array(n * m);
    for (let j = 0; j < m; j++) data[((((j - before) % n) + n) % n) * m + j] = 1;
    wrapMatrices.set(key, data);
  }
  const [P, h] = x.shape as number[];
  return tf.reshape(matMulConst(tf, tf.reshape(x, [-1, n]), data, n, m), [P, h, m, 1]);
}

/**
 * Periodic planes [P, gridH, gridW, 1] convolved with complex filters re, im [Sh, Sw, F]
 * (square, Sh < gridH and Sw < gridW), kept at the grid's rows and cols (evenly spaced) ->
 * [P, rows, cols, 2F]: the F real parts, then the F imaginary parts.
 */
export function compactCircularConv(
  tf: TF,
  planes: Tensor,
  re: Tensor,
  im: Tensor,
  g: Pick<SpectralGrid, 'rows' | 'cols'>,
  opts: { nativeGrad: boolean; inputGrad: boolean },
): Tensor {
  const [Sh, Sw, F] = re.shape as [number, number, number];
  if (Sh !== Sw) throw new RangeError(`compactCircularConv: filters must be square, got ${Sh} x ${Sw}`);
  const step = g.rows.length > 1 ? g.rows[1] - g.rows[0] : g.cols.length > 1 ? g.cols[1] - g.cols[0] : 1;
  // Wrap the grid only as far as the kept outputs reach, so that it needs no cropping
  // when the first output is the grid's first sample (circular padding): a slice on
  // WASM copies the whole tensor it is taken from.
  const reach = (first: number, count: number, taps: number, n: number) => {
    const start = first - (taps - 1 - Math.floor(taps / 2)); // first sample read, on the grid
    const size = (count - 1) * step + taps;
    const lead = Math.max(0, -start);
    return { lead, tail: Math.max(0, start + size - n), offset: start + lead, size };
  };
  const r = reach(g.rows[0], g.rows.length, Sh, planes.shape[1] as number);
  const c = reach(g.cols[0], g.cols.length, Sw, planes.shape[2] as number);
  const padded = wrap(tf, wrap(tf, planes, 1, r.lead, r.tail), 2, c.lead, c.tail);
  const whole = r.offset === 0 && c.offset === 0 && padded.shape[1] === r.size && padded.shape[2] === c.size;
  const x = whole ? padded : tf.slice(padded, [0, r.offset, c.offset, 0], [-1, r.size, c.size, -1]);
  // a convolution is a correlation with the taps reversed
  const kernel = tf.reshape(tf.reverse(tf.concat([re, im], 2), [0, 1]), [Sh, Sw, 1, 2 * F]);
  const geometry = { kernel: Sh, stride: step, padding: 'valid' as const };
  if (opts.nativeGrad) return tf.conv2d(x as never, kernel as never, step, 'valid');
  return trainableConv2d(tf, x, kernel, geometry, opts.inputGrad);
}
