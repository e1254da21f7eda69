import { describe, expect, it } from 'vitest';
import { tf, useBackend, build } from './helpers';
import { Modulus, complexModulus } from '../../nodes/wavelets/modulus';
import { Rectifier } from '../../nodes/wavelets/rectifier';
import type { AnyNodeDefinition } from '../../nodes/types';

const modulus = Modulus as unknown as AnyNodeDefinition;
const rectifier = Rectifier as unknown as AnyNodeDefinition;

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`Modulus and Rectifier (${backend})`, () => {
    it('computes sqrt(re^2 + im^2) over paired channels', async () => {
      await useBackend(backend);
      // [1, 1, 2, 4]: two real channels then two imaginary channels
      const z = tf.tensor4d([3, 0, 4, 0, -5, 1, 12, 0], [1, 1, 2, 4]);
      const m = build(modulus, {}, { kind: 'complex', shape: [1, 2, 4] });
      expect(m.out).toEqual({ kind: 'map', shape: [1, 2, 2] });
      expect(Array.from(await m.apply(z).data())).toEqual([5, 0, 13, 1]);
    });

    it('has a zero gradient, not NaN, at exactly zero', async () => {
      await useBackend(backend);
      // three complex values 0, 3 + 4i, -2i as [1, 1, 1, 6]: real parts, then imaginary parts
      const z = tf.tensor4d([0, 3, 0, 0, 4, -2], [1, 1, 1, 6]);
      const g = Array.from(
        await tf
          .grad((t: tf.Tensor) => tf.sum(complexModulus(tf, t)))(z)
          .data(),
      );
      expect(g.every(Number.isFinite)).toBe(true);
      const [r, i] = [g.slice(0, 3), g.slice(3)];
      expect(r[0]).toBe(0);
      expect(i[0]).toBe(0);
      expect(r[1]).toBeCloseTo(0.6, 6);
      expect(i[1]).toBeCloseTo(0.8, 6);
      expect(i[2]).toBeCloseTo(-1, 6);
    });

    it('phase-relu with A = 4 gives [ReLU(Re), ReLU(Im), ReLU(-Re), ReLU(-Im)]', async () => {
      await useBackend(backend);
      const re = [1.5, -2, 0.25];
      const im = [-0.5, 3, 7];
      const z = tf.tensor4d([...re, ...im], [1, 1, 1, 6]);
      const r = build(rectifier, { mode: 'phase-relu', A: 4 }, { kind: 'complex', shape: [1, 1, 6] });
      expect(r.out).toEqual({ kind: 'map', shape: [1, 1, 12] });
      const relu = (v: number) => Math.max(v, 0);
      const want = [...re.map(relu), ...im.map(relu), ...re.map((v) => relu(-v)), ...im.map((v) => relu(-v))];
      expect(Array.from(await r.apply(z).data())).toEqual(want);
    });

    it('phase-relu with A = 3 rotates by 2 pi k / 3', async () => {
      await useBackend(backend);
      const z = tf.tensor4d([1, 2], [1, 1, 1, 2]); // 1 + 2i
      const r = build(rectifier, { mode: 'phase-relu', A: 3 }, { kind: 'complex', shape: [1, 1, 2] });
      const got = Array.from(await r.apply(z).data());
      const want = [0, 1, 2].map((k) =>
        Math.max(Math.cos((2 * Math.PI * k) / 3) + 2 * Math.sin((2 * Math.PI * k) / 3), 0),
      );
      got.forEach((g, k) => expect(g).toBeCloseTo(want[k], 6));
    });

    it('applies relu and abs to real maps and to both parts of complex maps', async () => {
      await useBackend(backend);
      const x = tf.tensor4d([-1, 2, -3, 4], [1, 1, 1, 4]);
      const relu = build(rectifier, { mode: 'relu' }, { kind: 'complex', shape: [1, 1, 4] });
      expect(relu.out).toEqual({ kind: 'map', shape: [1, 1, 4] });
      expect(Array.from(await relu.apply(x).data())).toEqual([0, 2, 0, 4]);
      const abs = build(rectifier, { mode: 'abs' }, { kind: 'map', shape: [1, 1, 4] });
      expect(Array.from(await abs.apply(x).data())).toEqual([1, 2, 3, 4]);
    });
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`the modulus gradient (${backend})`, () => {
    it('equals the zero-safe division tf.divNoNan gives, bit for bit, zeros included', async () => {
      await useBackend(backend);
      // [2, 3, 5, 2C] with C = 7: random parts of very different sizes, some exact zeros
      const n = 2 * 3 * 5 * 14;
      let seed = 3;
      const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296;
      const z = Float32Array.from({ length: n }, (_, i) =>
        i % 11 === 0 ? 0 : (rand() - 0.5) * 10 ** (4 * rand() - 2),
      );
      z.fill(0, 0, 14); // one whole row of zero responses
      z[20] = 1e-30; // a response whose square underflows: |z| = 0 there too
      const zt = tf.tensor4d(z, [2, 3, 5, 14]);
      const w = tf.tensor4d(
        Float32Array.from({ length: n / 2 }, () => rand() - 0.5),
        [2, 3, 5, 7],
      );
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(complexModulus(tf, t), w)))(zt);
      // the same gradient written with divNoNan: (re, im) * w / |z|, 0 where |z| = 0
      const m = tf.sqrt(tf.add(tf.square(zt.slice([0, 0, 0, 0], [-1, -1, -1, 7])), tf.square(zt.slice([0, 0, 0, 7]))));
      const scale = tf.divNoNan(w, m);
      const want = tf.concat(
        [tf.mul(zt.slice([0, 0, 0, 0], [-1, -1, -1, 7]), scale), tf.mul(zt.slice([0, 0, 0, 7]), scale)],
        3,
      );
      const got = Array.from(await g.data());
      expect(got).toEqual(Array.from(await want.data()));
      expect(got.every(Number.isFinite)).toBe(true);
      expect(got.filter((v) => v === 0).length).toBeGreaterThan(14);
      tf.dispose([zt, w, g, m, scale, want]);
    });
  });
}

describe('Rectifier shape checks', () => {
  it('asks for a complex map in phase-relu mode', () => {
    const p = { mode: 'phase-relu', A: 4 };
    const res = rectifier.inferShape(p as never, { in: [{ kind: 'map', shape: [4, 4, 3] }] }, { nodeId: 'r' });
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.diagnostics[0]).toMatchObject({ code: 'port-kind-mismatch', nodeId: 'r', port: 'in' });
      expect(res.diagnostics[0].fix).toMatch(/Wavelet convolution/);
    }
  });
});
