import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../src/platform/tf-node';

beforeAll(async () => {
  await initBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

const dataIds = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

/** The max pooling gradient of x on `backend`, for the sum of the pooled values weighted by w. */
async function poolGradient(
  backend: string,
  x: Float32Array,
  shape: [number, number, number, number],
  size: [number, number],
  stride: number,
  pad: 'same' | 'valid',
): Promise<Float32Array> {
  await initBackend(backend);
  const xt = tf.tensor4d(x, shape);
  const grad = tf.grad((a: tf.Tensor) => {
    const y = tf.maxPool(a as tf.Tensor4D, size, stride, pad);
    const w = tf.range(1, y.size + 1).reshape(y.shape);
    return tf.sum(tf.mul(y, w));
  });
  const g = grad(xt);
  const out = (await g.data()) as Float32Array;
  tf.dispose([xt, g]);
  return out;
}

describe("the WASM backend's replaced kernels", () => {
  const cases = [
    { name: '2×2, stride 2 (the cnn)', shape: [2, 6, 8, 3], size: [2, 2], stride: 2, pad: 'valid' },
    {
      name: '3×3, stride 2, same padding (windows overlap)',
      shape: [2, 7, 5, 4],
      size: [3, 3],
      stride: 2,
      pad: 'same',
    },
    { name: '3×2, stride 1, same padding', shape: [1, 5, 6, 2], size: [3, 2], stride: 1, pad: 'same' },
    {
      name: '2×2, stride 2, odd sizes (a row and a column in no window)',
      shape: [2, 5, 7, 3],
      size: [2, 2],
      stride: 2,
      pad: 'valid',
    },
  ] as const;
  for (const c of cases) {
    it(`max pooling gradient equals the CPU backend's: ${c.name}, with ties`, async () => {
      const n = (c.shape as readonly number[]).reduce((a, b) => a * b, 1);
      // three values in a scrambled order, so that many windows hold several equal maxima
      // (a linear pattern gives the four values of a 2×2 window fixed, distinct offsets)
      const x = Float32Array.from({ length: n }, (_, i) => ((Math.imul(i + 1, 2654435761) >>> 7) % 3) - 1);
      const shape = [...c.shape] as [number, number, number, number];
      const size = [...c.size] as [number, number];
      const wasm = await poolGradient('wasm', x, shape, size, c.stride, c.pad);
      const cpu = await poolGradient('cpu', x, shape, size, c.stride, c.pad);
      await tf.setBackend('wasm');
      expect(Array.from(wasm)).toEqual(Array.from(cpu));
      expect(wasm.some((v) => v !== 0)).toBe(true);
    });
  }

  it('a clone shares its data, stays valid when the original goes, and frees it after both', async () => {
    await tf.setBackend('wasm');
    const before = dataIds();
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.clone(a);
    expect(dataIds()).toBe(before + 1);
    a.dispose();
    expect(Array.from(await b.data())).toEqual([1, 2, 3]);
    b.dispose();
    expect(dataIds()).toBe(before);
  });

  it('a cast to the same dtype shares; other casts convert', async () => {
    await tf.setBackend('wasm');
    const before = dataIds();
    const a = tf.tensor1d([1.5, -2, 3]);
    const same = tf.cast(a, 'float32');
    expect(dataIds()).toBe(before + 1);
    const asInt = tf.cast(a, 'int32');
    expect(asInt.dtype).toBe('int32');
    expect(Array.from(await asInt.data())).toEqual([1, -2, 3]);
    const back = tf.cast(tf.tensor1d([4, 5], 'int32'), 'float32');
    expect(Array.from(await back.data())).toEqual([4, 5]);
    a.dispose();
    expect(Array.from(await same.data())).toEqual([1.5, -2, 3]);
    tf.dispose([same, asInt, back]);
  });

  const slices: Array<[string, number[], number[], number[]]> = [
    ["a column band of one channel (the compact filters' wrap)", [3, 6, 7, 1], [0, 0, 4, 0], [-1, -1, 3, -1]],
    ['a box inside every axis', [3, 4, 5, 2], [1, 0, 2, 1], [2, -1, 3, 1]],
    ['whole trailing axes (one run per index of the first)', [4, 5, 6], [1, 0, 0], [2, -1, -1]],
    ['rank 5, every axis cut', [2, 3, 4, 5, 6], [0, 1, 1, 2, 3], [2, 2, 3, 2, 3]],
    ['a vector', [40], [3], [35]],
    ['nothing kept', [3, 4], [0, 0], [0, 4]],
  ];
  for (const [name, shape, begin, size] of slices) {
    it(`a slice equals the CPU backend's: ${name}`, async () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const run = async (backend: string, dtype: 'float32' | 'int32' | 'bool') => {
        await tf.setBackend(backend);
        const x = tf.tensor(
          Float32Array.from({ length: n }, (_, i) => (dtype === 'bool' ? Number(i % 3 === 0) : i * 1.5 - 7)),
          shape,
          dtype,
        );
        const y = tf.slice(x, begin, size);
        const out = { shape: y.shape, values: Array.from(await y.data()) };
        tf.dispose([x, y]);
        return out;
      };
      for (const dtype of ['float32', 'int32', 'bool'] as const) {
        const wasm = await run('wasm', dtype);
        expect(wasm).toEqual(await run('cpu', dtype));
        if (n > 3 && size.every((v) => v !== 0)) expect(wasm.values.length).toBeGreaterThan(0);
      }
      await tf.setBackend('wasm');
    });
  }

  /** The values of f(x) on a backend, x a float32 tensor of `shape` with varied values. */
  async function on(backend: string, shape: number[], f: (x: tf.Tensor) => tf.Tensor | tf.Tensor[]) {
    await tf.setBackend(backend);
    const n = shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor(
      Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) * 3 + (i % 5)),
      shape,
    );
    const ys = [f(x)].flat();
    const out = await Promise.all(ys.map(async (y) => ({ shape: y.shape, values: Array.from(await y.data()) })));
    tf.dispose([x, ...ys]);
    await tf.setBackend('wasm');
    return out;
  }

  const splits: Array<[string, number[], number | number[], number]> = [
    ['halves of the last axis (real and imaginary parts)', [1, 6, 8], 2, 2],
    ['unequal sizes along a middle axis', [2, 7, 3], [2, 4, 1], 1],
    ['three along the first axis', [6, 2, 2], 3, 0],
  ];
  for (const [name, shape, parts, axis] of splits) {
    it(`a split equals the CPU backend's: ${name}`, async () => {
      const f = (x: tf.Tensor) => tf.split(x, parts, axis);
      expect(await on('wasm', shape, f)).toEqual(await on('cpu', shape, f));
    });
  }

  it("an unstack equals the CPU backend's, along the first and a middle axis", async () => {
    for (const axis of [0, 1]) {
      const f = (x: tf.Tensor) => tf.unstack(x, axis);
      const wasm = await on('wasm', [3, 4, 5], f);
      expect(wasm).toEqual(await on('cpu', [3, 4, 5], f));
      expect(wasm).toHaveLength(axis === 0 ? 3 : 4);
    }
  });

  const transposes: Array<[string, number[], number[]]> = [
    // large matrices (the replacement), cut by rows or by columns
    ['a tall map against its channels', [1, 4096, 40], [0, 2, 1]],
    ['a wide matrix, columns cut', [96, 2880], [1, 0]],
    ['two trailing axes swapped with one, over a batch', [2, 3, 640, 30, 7], [0, 1, 3, 4, 2]],
    ['rows that no chunk divides (the backend)', [1, 4099, 41], [0, 2, 1]],
    ['small matrices (the backend)', [6, 20, 30], [0, 2, 1]],
    ['a permutation that is no matrix transpose (the backend)', [4, 96, 80, 2], [3, 0, 2, 1]],
  ];
  for (const [name, shape, perm] of transposes) {
    it(`a transpose equals the CPU backend's: ${name}`, async () => {
      const f = (x: tf.Tensor) => tf.transpose(x, perm);
      const [wasm] = await on('wasm', shape, f);
      expect(wasm).toEqual((await on('cpu', shape, f))[0]);
      expect(wasm.shape).toEqual(perm.map((p) => shape[p]));
    });
  }

  it('a large transpose frees what it made on the way', async () => {
    const x = tf.randomNormal([1, 8192, 40]);
    tf.transpose(x, [0, 2, 1]).dispose(); // first call: the backend may set things up
    const before = dataIds();
    const y = tf.transpose(x, [0, 2, 1]);
    expect(dataIds()).toBe(before + 1);
    tf.dispose([x, y]);
  });

  const reductions: Array<[string, number[], number | number[], boolean]> = [
    // thousands of rows (the replacement), and a few (the backend's own)
    ['a BatchNorm sum over every axis but the channels', [32, 8, 8, 20], [0, 1, 2], false],
    ['over the positions of a [1, positions, channels] map', [1, 2048, 16], 1, false],
    ['two middle axes, keeping dimensions', [3, 40, 50, 16], [1, 2], true],
    ['rows in no multiple of four (added four at a time, then the rest)', [2, 1027, 17], 1, false],
    ['a few rows of a middle axis', [3, 4, 5, 2], [1, 2], true],
    ['the innermost axis (the backend reduces it itself)', [3, 4, 5], 2, false],
    ['axes that are not consecutive (the backend again)', [3, 4, 5], [0, 2], false],
  ];
  for (const [name, shape, axes, keepDims] of reductions) {
    it(`sum and mean equal the CPU backend's: ${name}`, async () => {
      for (const f of [(x: tf.Tensor) => tf.sum(x, axes, keepDims), (x: tf.Tensor) => tf.mean(x, axes, keepDims)]) {
        const [wasm] = await on('wasm', shape, f);
        const [cpu] = await on('cpu', shape, f);
        expect(wasm.shape).toEqual(cpu.shape);
        // float32 sums of thousands of terms (the CPU backend adds in float64): a few units of
        // the last place of each term; one term left out would be 1e-3 of a mean here
        wasm.values.forEach((v, i) =>
          expect(Math.abs(v - cpu.values[i])).toBeLessThanOrEqual(2e-5 * Math.max(1, Math.abs(cpu.values[i]))),
        );
      }
    });
  }

  const products: Array<[string, number[], number[], boolean, boolean]> = [
    ['a batch of pairs (a covariance per group)', [2, 3, 40, 5], [2, 3, 40, 6], true, false],
    ['a batch times one matrix (broadcast)', [4, 7, 5], [5, 3], false, false],
    ['one matrix times a batch, the second transposed', [7, 5], [3, 6, 5], false, true],
    ['both transposed', [5, 7], [6, 5], true, true],
    ['a plain pair (the backend itself)', [7, 5], [5, 6], false, false],
  ];
  for (const [name, sa, sb, ta, tb] of products) {
    it(`a matrix product equals the CPU backend's: ${name}`, async () => {
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        const fill = (shape: number[], k: number) =>
          tf.tensor(
            Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, (_, i) => Math.sin(i * k) + 0.25),
            shape,
          );
        const [a, b] = [fill(sa, 0.37), fill(sb, 0.61)];
        const y = tf.matMul(a, b, ta, tb);
        const out = { shape: y.shape, values: Array.from(await y.data()) };
        tf.dispose([a, b, y]);
        return out;
      };
      const wasm = await run('wasm');
      const cpu = await run('cpu');
      await tf.setBackend('wasm');
      expect(wasm.shape).toEqual(cpu.shape);
      wasm.values.forEach((v, i) =>
        expect(Math.abs(v - cpu.values[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(cpu.values[i]))),
      );
    });
  }
});
