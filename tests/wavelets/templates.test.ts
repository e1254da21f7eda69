import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, loadDocument, lower } from '../../compiler';
import { expandScattering2D } from '../../nodes/wavelets';
import { tf, useBackend, images } from './helpers';

const load = (name: string) => {
  const r = loadDocument(readFileSync(`templates/${name}.json`, 'utf8'));
  expect(r.diagnostics).toEqual([]);
  return r.doc!;
};

describe('wavelet templates', () => {
  it('scattering-linear: 81 channels of 7 x 7 into a linear classifier', () => {
    const doc = load('scattering-linear');
    expect(doc.name).toBeTruthy();
    expect(doc.description).toBeTruthy();
    const a = analyze(doc);
    expect(a.diagnostics).toEqual([]);
    expect(a.shapes.outputs.get('scattering')!.out).toEqual({ kind: 'map', shape: [7, 7, 81] });
    expect(a.shapes.paramCounts.get('scattering')!.trainable).toBe(0);
    expect(a.shapes.total.trainable).toBe(2 * 81 + 3969 * 10 + 10);
  });

  it('scattering-cnn: a small CNN on top of the scattering front end', () => {
    const doc = load('scattering-cnn');
    const a = analyze(doc);
    expect(a.diagnostics).toEqual([]);
    expect(a.shapes.outputs.get('scattering')!.out.shape).toEqual([7, 7, 81]);
    expect(doc.nodes.filter((n) => n.type === 'Conv2D').length).toBeGreaterThanOrEqual(1);
  });

  it('learned-first-layer: the expanded scattering with learned first-layer filters', () => {
    const doc = load('learned-first-layer');
    const a = analyze(doc);
    expect(a.diagnostics).toEqual([]);
    // same structure as the expansion, only the first-layer modes (and labels) differ
    const frag = expandScattering2D({ J: 2, L: 8, maxOrder: 2 }, undefined, { idPrefix: 'scat/' });
    for (const n of frag.nodes) {
      const t = doc.nodes.find((m) => m.id === n.id)!;
      expect(t.type).toBe(n.type);
      const { mode, support, ...rest } = t.params;
      const { mode: m0, support: s0, ...rest0 } = n.params;
      expect(rest).toEqual(rest0);
      if (n.id === 'scat/psi0' || n.id === 'scat/psi1') expect(mode).toBe('learned-from-noise');
      else expect([mode, support]).toEqual([m0, s0]);
    }
    expect(a.shapes.outputs.get('scat/merge')!.out.shape).toEqual([7, 7, 81]);
    // learned: 8 complex 7 x 7 filters at j1 = 0 and 8 complex 15 x 15 at j1 = 1
    const learned = 2 * 8 * (7 * 7 + 15 * 15);
    expect(a.shapes.total.trainable).toBe(learned + 2 * 81 + 3969 * 10 + 10);
  });

  it('learned-first-layer compiles, runs and has gradients for its filters (wasm)', async () => {
    await useBackend('wasm');
    const doc = load('learned-first-layer');
    const a = analyze(doc);
    const { model, diagnostics } = lower(a.validation, a.shapes, { tf, seed: 3 });
    expect(diagnostics).toEqual([]);
    const filters = model!.variables.filter((v) => v.role === 'filter-real' || v.role === 'filter-imag');
    expect(
      filters
        .filter((v) => v.trainable)
        .map((v) => v.nodeId)
        .sort(),
    ).toEqual(['scat/psi0', 'scat/psi0', 'scat/psi1', 'scat/psi1']);
    const x = tf.tensor4d(images(2 * 28 * 28, 4), [2, 28, 28, 1]);
    const { grads, value } = tf.variableGrads(
      () => tf.sum(tf.square(model!.forward(x, { training: true }).logits)) as tf.Scalar,
      filters.filter((v) => v.trainable).map((v) => v.variable),
    );
    expect(Number.isFinite((await value.data())[0])).toBe(true);
    for (const g of Object.values(grads)) expect((await tf.max(tf.abs(g)).data())[0]).toBeGreaterThan(0);
    model!.dispose();
  });
});
