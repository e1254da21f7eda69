/**
 * Target fields for synthesis: generated in code (critical Ising, 2D turbulence),
 * seeded and offline, or read from a .npy array the user brings. Platform-free: a
 * file arrives as bytes.
 */
import { readNpy } from '../data/npy';
import { DataFormatError } from '../data/errors';
import { isingFields } from './ising';
import { turbulenceField } from './turbulence';

export const BUILT_IN_TARGETS = ['ising', 'turbulence'] as const;

export interface TargetFields {
  /** [count, n, n] flattened. */
  data: Float32Array;
  n: number;
  count: number;
  label: string;
}

export function generatedTarget(
  kind: (typeof BUILT_IN_TARGETS)[number],
  n: number,
  count: number,
  seed: number,
): TargetFields {
  if (kind === 'ising')
    return { data: isingFields(n, count, { seed }), n, count, label: `critical Ising ${n} x ${n} (Wolff, T = T_c)` };
  const data = new Float32Array(count * n * n);
  for (let k = 0; k < count; k++) data.set(turbulenceField(n, { seed: seed + k }), k * n * n);
  return { data, n, count, label: `2D turbulence vorticity ${n} x ${n} (decaying, pseudo-spectral)` };
}

/**
 * Fields from a .npy holding float32 or float64 values shaped [n, n], [count, n, n] or
 * [count, n, n, 1]. With `size`, a larger field is cropped to its central size x size.
 */
export function npyTarget(bytes: Uint8Array, name: string, size?: number): TargetFields {
  const a = readNpy(bytes, name);
  if (a.dtype !== 'float32') {
    throw new DataFormatError(
      name,
      `holds ${a.sourceDtype} values, but a synthesis target must be a float field ('<f4' or '<f8'); convert it with a.astype(np.float32) (scaling images to the range you mean)`,
    );
  }
  let shape = a.shape;
  if (shape.length === 4 && shape[3] === 1) shape = shape.slice(0, 3);
  if (shape.length === 2) shape = [1, ...shape];
  if (shape.length !== 3 || shape[1] !== shape[2]) {
    throw new DataFormatError(
      name,
      `has shape (${a.shape.join(', ')}), but a target is one square field (n, n) or a stack (count, n, n)`,
    );
  }
  const [count, side] = shape;
  const n = size ?? side;
  if (n > side)
    throw new DataFormatError(name, `holds ${side} x ${side} fields, smaller than the requested --size ${n}`);
  const data = a.data as Float32Array;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]))
      throw new DataFormatError(name, `value ${data[i]} at index ${i} is not a finite number`);
  }
  const out = new Float32Array(count * n * n);
  const off = Math.floor((side - n) / 2);
  for (let k = 0; k < count; k++) {
    for (let r = 0; r < n; r++)
      out.set(
        data.subarray(k * side * side + (r + off) * side + off, k * side * side + (r + off) * side + off + n),
        (k * n + r) * n,
      );
  }
  return { data: out, n, count, label: `${name} (${count} field${count > 1 ? 's' : ''} of ${n} x ${n})` };
}
