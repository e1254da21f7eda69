import { beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend, build, fullParams, images, makeContext } from './helpers';
import { expandScattering2D } from '../../nodes/wavelets';
import { Scattering2D } from '../../nodes/wavelets/scattering2d';
import { getNodeDefinition } from '../../nodes/registry';
import { loadDocument, saveDocument, type GraphDocument } from '../../document/graph';
import type { AnyNodeDefinition, Tensor, TensorSpec } from '../../nodes/types';

/**
 * Evaluate a graph document the way a compiler would, independently of the fragment
 * runner Scattering2D uses: topological order from the edges, multi-input ports in
 * edge-id order, every node lowered from the registry.
 */
function evaluate(doc: GraphDocument, inputId: string, x: Tensor, spec: TensorSpec): Map<string, Tensor> {
  const incoming = (id: string) => doc.edges.filter((e) => e.target === id).sort((a, b) => a.id.localeCompare(b.id));
  const done = new Map<string, { value: Tensor; spec: TensorSpec }>([[inputId, { value: x, spec }]]);
  const pending = doc.nodes.filter((n) => n.id !== inputId);
  while (pending.length) {
    const i = pending.findIndex((n) => incoming(n.id).every((e) => done.has(e.source)));
    expect(i).toBeGreaterThanOrEqual(0);
    const [n] = pending.splice(i, 1);
    const def = getNodeDefinition(n.type) as AnyNodeDefinition;
    const ins = incoming(n.id).map((e) => done.get(e.source)!);
    const p = fullParams(def, n.params);
    const res = def.inferShape(p as never, { in: ins.map((s) => s.spec) }, { nodeId: n.id });
    if (!res.ok) throw new Error(`${n.id}: ${res.diagnostics[0].message}`);
    const ctx = makeContext(n.id);
    const lowered = def.lower({
      params: p as never,
      inputs: { in: ins.map((s) => s.spec) },
      outputs: res.outputs,
      ctx,
    });
    const value = lowered.apply({ in: ins.map((s) => s.value) }, { training: false, step: 0 }).out;
    done.set(n.id, { value, spec: res.outputs.out });
  }
  return new Map([...done].map(([k, v]) => [k, v.value]));
}

function documentFor(J: number, L: number, maxOrder: number, spec: TensorSpec): GraphDocument {
  const frag = expandScattering2D({ J, L, maxOrder }, spec, {
    idPrefix: 'scat/',
    group: 'g1',
    origin: { x: 220, y: 0 },
  });
  return {
    format: 'wavegraph',
    version: 2,
    nodes: [
      {
        id: 'input',
        type: 'Input',
        position: { x: 0, y: 0 },
        params: { height: spec.shape[0], width: spec.shape[1], channels: spec.shape[2] },
      },
      ...frag.nodes,
    ],
    edges: [
      ...frag.inputs.in.map((r, i) => ({
        id: `in${i}`,
        source: 'input',
        sourcePort: 'out',
        target: r.node,
        targetPort: r.port,
      })),
      ...frag.edges,
    ],
    groups: [{ id: 'g1', type: 'Scattering2D', params: { J, L, maxOrder } }],
  };
}

describe('expandScattering2D', () => {
  beforeAll(() => useBackend('wasm'));

  it('lists the parts of the transform as valid graph-document data', () => {
    const spec: TensorSpec = { kind: 'map', shape: [28, 28, 1] };
    const doc = documentFor(2, 8, 2, spec);
    const loaded = loadDocument(saveDocument(doc));
    expect(loaded.diagnostics).toEqual([]);
    const types = doc.nodes.map((n) => n.type);
    // pad, S0, per j1 (wavelet, modulus, low-pass), one j2 > j1 branch, merge
    expect(types.filter((t) => t === 'WaveletConv')).toHaveLength(3);
    expect(types.filter((t) => t === 'Modulus')).toHaveLength(3);
    expect(types.filter((t) => t === 'LowPass')).toHaveLength(4);
    expect(new Set(doc.nodes.map((n) => n.id)).size).toBe(doc.nodes.length);
    expect(new Set(doc.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(doc.nodes.length);
    for (const n of doc.nodes) expect(getNodeDefinition(n.type)).toBeDefined();
    const third = expandScattering2D({ J: 3, L: 8, maxOrder: 2 });
    expect(third.nodes).toHaveLength(1 + 1 + 3 * 3 + 3 * 3 + 1);
  });

  for (const [J, L, maxOrder, H, W, C] of [
    [2, 8, 2, 28, 28, 1],
    [3, 4, 2, 20, 26, 2],
    [2, 6, 1, 16, 12, 1],
  ] as const) {
    it(`gives exactly the node's numbers (J = ${J}, L = ${L}, order ${maxOrder}, ${H} x ${W} x ${C})`, async () => {
      const spec: TensorSpec = { kind: 'map', shape: [H, W, C] };
      const x = tf.tensor4d(images(2 * H * W * C, 3), [2, H, W, C]);
      const whole = build(Scattering2D as unknown as AnyNodeDefinition, { J, L, maxOrder }, spec);
      const expected = await whole.apply(x).data();
      const doc = loadDocument(saveDocument(documentFor(J, L, maxOrder, spec))).doc!;
      const values = evaluate(doc, 'input', x, spec);
      const got = await values.get('scat/merge')!.data();
      expect(got.length).toBe(expected.length);
      let diff = 0;
      for (let i = 0; i < got.length; i++) diff = Math.max(diff, Math.abs(got[i] - expected[i]));
      expect(diff).toBe(0);
    });
  }
});
