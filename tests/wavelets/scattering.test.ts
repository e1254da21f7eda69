import { describe, expect, it } from 'vitest';
import { tf, useBackend, build, images } from './helpers';
import { Scattering2D } from '../../nodes/wavelets/scattering2d';
import { scatteringReference } from '../../nodes/math/scattering-reference';
import type { AnyNodeDefinition } from '../../nodes/types';

const node = Scattering2D as unknown as AnyNodeDefinition;

/** Worst per-channel relative L2 error of channel-last [B, h, w, C K] against reference (B, C, K, h, w). */
function worstChannelError(got: Float32Array, ref: Float64Array, B: number, C: number, K: number, hw: number): number {
  let worst = 0;
  for (let c = 0; c < C; c++) {
    for (let k = 0; k < K; k++) {
      let num = 0;
      let den = 0;
      for (let b = 0; b < B; b++) {
        for (let i = 0; i < hw; i++) {
          const g = got[(b * hw + i) * C * K + c * K + k];
          const r = ref[((b * C + c) * K + k) * hw + i];
          num += (g - r) ** 2;
          den += r * r;
        }
      }
      worst = Math.max(worst, Math.sqrt(num / Math.max(den, 1e-300)));
    }
  }
  return worst;
}

/**
 * Run the node on B images of C channels on the cpu and wasm backends and compare each
 * with the float64 reference, channel by channel (the reference is computed once).
 */
async function compare(H: number, W: number, C: number, J: number, L: number, maxOrder: 1 | 2, B = 1) {
  const data = images(B * H * W * C, H * 1000 + W * 10 + J);
  const results: Record<string, Float32Array> = {};
  let spec = [0, 0, 0];
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend);
    const { apply, out } = build(node, { J, L, maxOrder }, { kind: 'map', shape: [H, W, C] });
    const y = apply(tf.tensor4d(data, [B, H, W, C]));
    expect(y.shape).toEqual([B, ...out.shape]);
    spec = out.shape;
    results[backend] = (await y.data()) as Float32Array;
    tf.dispose(y);
    tf.disposeVariables();
  }
  const [h, w, CK] = spec;
  const K = CK / C;
  const ref = new Float64Array(B * C * K * h * w);
  for (let c = 0; c < C; c++) {
    const plane = new Float64Array(B * H * W);
    for (let b = 0; b < B; b++) for (let i = 0; i < H * W; i++) plane[b * H * W + i] = data[(b * H * W + i) * C + c];
    const r = scatteringReference(plane, B, H, W, { J, L, maxOrder });
    for (let b = 0; b < B; b++) ref.set(r.subarray(b * K * h * w, (b + 1) * K * h * w), (b * C + c) * K * h * w);
  }
  const error = Math.max(...Object.values(results).map((g) => worstChannelError(g, ref, B, C, K, h * w)));
  return { error, h, w, K };
}

describe('Scattering2D agrees with the float64 reference (cpu and wasm backends)', () => {
  it('28 x 28, J = 2, L = 8, order 2: 7 x 7 x 81', async () => {
    const r = await compare(28, 28, 1, 2, 8, 2, 2);
    expect([r.h, r.w, r.K]).toEqual([7, 7, 81]);
    expect(r.error).toBeLessThanOrEqual(1e-4);
  });

  it('28 x 28, J = 3, L = 8, order 2: 3 x 3 x 217', async () => {
    const r = await compare(28, 28, 1, 3, 8, 2);
    expect([r.h, r.w, r.K]).toEqual([3, 3, 217]);
    expect(r.error).toBeLessThanOrEqual(1e-4);
  });

  it("orders input channels major, then Kymatio's channels (C = 2)", async () => {
    const r = await compare(12, 16, 2, 2, 4, 2);
    expect(r.error).toBeLessThanOrEqual(1e-4);
  });

  it('pads wider than the image (8 x 8 at J = 3 mirrors more than once)', async () => {
    const r = await compare(8, 8, 1, 3, 4, 2);
    expect([r.h, r.w]).toEqual([1, 1]);
    expect(r.error).toBeLessThanOrEqual(1e-4);
  });

  // every J in 1..3, L in {4, 6, 8}, order 1 and 2, on a square and a non-square image
  const cases: [number, number, 1 | 2][] = [];
  for (const J of [1, 2, 3]) for (const L of [4, 6, 8]) for (const o of [1, 2] as const) cases.push([J, L, o]);
  it.each(cases)('J = %i, L = %i, order %i: square and non-square', async (J, L, o) => {
    const sq = await compare(16, 16, 1, J, L, o);
    const ns = await compare(12, 21, 1, J, L, o);
    expect(sq.error).toBeLessThanOrEqual(1e-4);
    expect(ns.error).toBeLessThanOrEqual(1e-4);
  });
});
