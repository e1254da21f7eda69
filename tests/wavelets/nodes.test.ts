import { describe, expect, it } from 'vitest';
import { tf, useBackend, build, fullParams, images, makeContext } from './helpers';
import { waveletNodes } from '../../nodes/wavelets';
import { phiLevelTransposed } from '../../nodes/wavelets/filters';
import type { AnyNodeDefinition, TensorSpec } from '../../nodes/types';

const def = (type: string) => waveletNodes.find((d) => d.type === type)!;
const infer = (type: string, params: Record<string, unknown>, input: TensorSpec) =>
  def(type).inferShape(fullParams(def(type), params) as never, { in: [input] }, { nodeId: 'n1' });
const map = (...shape: number[]): TensorSpec => ({ kind: 'map', shape });

describe('shape inference and diagnostics', () => {
  it("gives Kymatio's output sizes and channel counts", () => {
    const s = (H: number, W: number, J: number, L: number, maxOrder: number, C = 1) => {
      const r = infer('Scattering2D', { J, L, maxOrder }, map(H, W, C));
      return r.ok ? r.outputs.out.shape : r.diagnostics;
    };
    expect(s(28, 28, 2, 8, 2)).toEqual([7, 7, 81]);
    expect(s(28, 28, 3, 8, 2)).toEqual([3, 3, 217]);
    expect(s(32, 32, 3, 8, 1)).toEqual([4, 4, 25]);
    expect(s(28, 28, 2, 8, 2, 3)).toEqual([7, 7, 243]);
  });

  it('explains a J too large for the image, naming the port and the fix', () => {
    const r = infer('Scattering2D', { J: 4 }, map(12, 28, 1));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostics[0]).toMatchObject({ code: 'shape-mismatch', nodeId: 'n1', port: 'in' });
      expect(r.diagnostics[0].fix).toMatch(/J ≤ 3/);
    }
  });

  it('refuses a complex map into a wavelet convolution and suggests the modulus', () => {
    const r = infer('WaveletConv', {}, { kind: 'complex', shape: [8, 8, 2] });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.diagnostics[0]).toMatchObject({
        code: 'port-kind-mismatch',
        port: 'in',
        fix: expect.stringMatching(/Modulus/),
      });
  });

  it('checks params that do not fit together', () => {
    const check = (p: Record<string, unknown>) =>
      def('WaveletConv').checkParams!(fullParams(def('WaveletConv'), p) as never, { nodeId: 'n1' });
    expect(check({ J: 2, scale: '3' })[0]).toMatchObject({ code: 'bad-param', param: 'scale' });
    expect(check({ scale: 'all', subsample: true })[0]).toMatchObject({ param: 'subsample' });
    expect(check({ padding: 'reflect', resolution: 1 })[0]).toMatchObject({ param: 'resolution' });
    expect(check({ J: 3, scale: '2', padding: 'circular', resolution: 1, subsample: true })).toEqual([]);
  });

  it('asks for a grid that subsamples evenly in circular mode', () => {
    const r = infer('WaveletConv', { J: 2, padding: 'circular' }, map(30, 30, 1));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.diagnostics[0]).toMatchObject({
        code: 'shape-mismatch',
        port: 'in',
        fix: expect.stringMatching(/Reflect padding/),
      });
  });

  it('sizes wavelet outputs: same size, subsampled, and complex channel blocks', () => {
    const a = infer('WaveletConv', { J: 2, L: 8 }, map(28, 28, 3));
    expect(a.ok && a.outputs.out).toEqual({ kind: 'complex', shape: [28, 28, 2 * 3 * 16] });
    const b = infer('WaveletConv', { J: 2, L: 8, scale: '1', subsample: true }, map(28, 28, 1));
    expect(b.ok && b.outputs.out.shape).toEqual([14, 14, 16]);
    const c = infer('LowPass', { J: 2 }, map(28, 28, 5));
    expect(c.ok && c.outputs.out.shape).toEqual([7, 7, 5]);
  });

  it('counts fixed and trainable parameters', () => {
    const wired = infer('WaveletConv', { J: 2, L: 4, support: 9 }, map(16, 16, 1));
    const learned = infer('WaveletConv', { J: 2, L: 4, support: 9, mode: 'learned-from-noise' }, map(16, 16, 1));
    expect(wired.ok && wired.paramCount).toEqual({ trainable: 0, fixed: 2 * 81 * 8 });
    expect(learned.ok && learned.paramCount).toEqual({ trainable: 2 * 81 * 8, fixed: 0 });
    const s = infer('Scattering2D', {}, map(28, 28, 1));
    expect(s.ok && s.paramCount!.trainable).toBe(0);
  });
});

describe('WaveletConv filters', () => {
  const spec = map(16, 16, 1);
  const x = () => tf.tensor4d(images(2 * 256, 2), [2, 16, 16, 1]);

  it('exposes real and imaginary filter variables for the gallery, frozen when wired', async () => {
    await useBackend('wasm');
    const wired = build(def('WaveletConv'), { J: 2, L: 4 }, spec, makeContext('w'));
    const v = wired.ctx as ReturnType<typeof makeContext>;
    expect(v.variables.get('psi_real')).toMatchObject({ role: 'filter-real', trainable: false });
    expect(v.variables.get('psi_imag')).toMatchObject({ role: 'filter-imag', trainable: false });
    expect(v.variables.get('psi_real')!.v.shape).toEqual([24, 24, 8]); // padded grid 24 x 24, J L filters
    const learned = build(def('WaveletConv'), { J: 2, L: 4, mode: 'learned-from-wavelets' }, spec, makeContext('l'));
    expect((learned.ctx as ReturnType<typeof makeContext>).variables.get('psi_real')!.trainable).toBe(true);
    // learned-from-wavelets starts exactly where wired is
    const a = await wired.apply(x()).data();
    const b = await learned.apply(x()).data();
    expect(Array.from(b)).toEqual(Array.from(a));
    tf.disposeVariables();
  });

  it('draws reproducible noise from the graph seed', async () => {
    await useBackend('wasm');
    const noise = (seed: number) => {
      const n = build(
        def('WaveletConv'),
        { J: 1, L: 2, mode: 'learned-from-noise', support: 5 },
        spec,
        makeContext('n', seed),
      );
      return (n.ctx as ReturnType<typeof makeContext>).variables.get('psi_real')!.v.dataSync();
    };
    expect(Array.from(noise(4))).toEqual(Array.from(noise(4)));
    expect(Array.from(noise(4))).not.toEqual(Array.from(noise(5)));
    tf.disposeVariables();
  });

  it('LowPass with reflect padding is the order-0 scattering channel', async () => {
    await useBackend('wasm');
    const s = build(def('Scattering2D'), { J: 2, L: 4, maxOrder: 1 }, map(16, 16, 1));
    const lp = build(def('LowPass'), { J: 2 }, map(16, 16, 1));
    const xs = x();
    const s0 = await tf.slice(s.apply(xs), [0, 0, 0, 0], [-1, -1, -1, 1]).data();
    const y = await lp.apply(xs).data();
    expect(Array.from(y)).toEqual(Array.from(s0));
    tf.disposeVariables();
  });

  it('LowPass with subsample off keeps every position of a periodic field', async () => {
    await useBackend('wasm');
    const every = build(def('LowPass'), { J: 2, padding: 'circular', unpad: false, subsample: false }, map(16, 16, 1));
    const sub = build(def('LowPass'), { J: 2, padding: 'circular', unpad: false }, map(16, 16, 1));
    expect(every.out.shape).toEqual([16, 16, 1]);
    const xs = x();
    const full = every.apply(xs);
    // the subsampled node's samples are every fourth of these
    const picked = await tf.stridedSlice(full, [0, 0, 0, 0], [2, 16, 16, 1], [1, 4, 4, 1]).data();
    const coarse = await sub.apply(xs).data();
    Array.from(coarse).forEach((v, i) => expect(picked[i]).toBeCloseTo(v, 5));
    // a periodic shift of the field shifts the output, nothing else
    const rolled = tf.concat(
      [tf.slice(xs, [0, 3, 0, 0], [-1, -1, -1, -1]), tf.slice(xs, [0, 0, 0, 0], [-1, 3, -1, -1])],
      1,
    );
    const shifted = await every.apply(rolled).data();
    const f = await full.data();
    for (let r = 0; r < 16; r++)
      for (let c = 0; c < 16; c++) expect(shifted[r * 16 + c]).toBeCloseTo(f[((r + 3) % 16) * 16 + c], 5);
    const refused = infer('LowPass', { J: 2, subsample: false }, map(16, 16, 1));
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.diagnostics[0]).toMatchObject({ code: 'bad-param', param: 'subsample' });
    tf.disposeVariables();
  });

  it('LowPass band "high" is what the average removes: a cosine scaled by 1 − φ̂_J at its frequency', async () => {
    await useBackend('wasm');
    const n = 16;
    const params = { J: 1, padding: 'circular', unpad: false, subsample: false };
    const high = build(def('LowPass'), { ...params, band: 'high' }, map(n, n, 1));
    const low = build(def('LowPass'), params, map(n, n, 1));
    expect(high.out.shape).toEqual([n, n, 1]);
    const phi = phiLevelTransposed(n, n, 1, 0); // [N, M] layout: (column frequency, row frequency)
    for (const [kr, kc] of [
      [0, 5],
      [3, 2],
      [8, 8],
    ]) {
      const wave = Float32Array.from({ length: n * n }, (_, i) =>
        Math.cos((2 * Math.PI * (kr * Math.floor(i / n) + kc * (i % n))) / n),
      );
      const y = await high.apply(tf.tensor4d(wave, [1, n, n, 1])).data();
      const gain = 1 - phi[kc * n + kr];
      expect(gain).toBeGreaterThan(0.05);
      wave.forEach((v, i) => expect(y[i]).toBeCloseTo(gain * v, 5));
    }
    // high + low gives the field back
    const xs = x();
    const sum = await tf.add(high.apply(xs), low.apply(xs)).data();
    const orig = await xs.data();
    orig.forEach((v, i) => expect(sum[i]).toBeCloseTo(v, 5));
    for (const bad of [{ subsample: true }, { unpad: true }, { padding: 'reflect' }]) {
      const r = infer('LowPass', { ...params, band: 'high', ...bad }, map(n, n, 1));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.diagnostics[0]).toMatchObject({ code: 'bad-param', param: 'band' });
    }
    tf.disposeVariables();
  });

  it('a wired wavelet convolution keeps its filter spectra until the filters change', async () => {
    await useBackend('wasm');
    const n = build(def('WaveletConv'), { J: 2, L: 4, padding: 'circular' }, map(16, 16, 1));
    const xs = x();
    const run = async () => {
      let out: Float32Array = new Float32Array();
      const p = await tf.profile(async () => {
        const y = n.apply(xs);
        out = (await y.data()) as Float32Array;
        y.dispose();
      });
      return { out, kernels: p.kernels.length };
    };
    const first = await run();
    const second = await run();
    expect(Array.from(second.out)).toEqual(Array.from(first.out));
    expect(second.kernels).toBeLessThan(first.kernels);
    // new filter values (loaded weights) are seen
    const v = (n.ctx as ReturnType<typeof makeContext>).variables.get('psi_real')!.v;
    v.assign(tf.mul(v, 2));
    const third = await run();
    expect(third.kernels).toBe(first.kernels);
    expect(Array.from(third.out)).not.toEqual(Array.from(first.out));
    tf.disposeVariables();
  });

  it('is registered with doc text for every node type', () => {
    for (const d of waveletNodes as AnyNodeDefinition[]) {
      expect(d.doc.summary.length).toBeGreaterThan(10);
      expect(d.doc.formula.length).toBeGreaterThan(5);
      expect(d.doc.intuition.length).toBeGreaterThan(40);
      expect(d.doc.reference).toBeTruthy();
    }
  });
});
