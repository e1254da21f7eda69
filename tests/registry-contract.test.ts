/**
 * Every node type, checked the same way: defaults pass its own schema, docs are
 * there, inferShape agrees with the shape TensorFlow.js really produces, the node
 * survives a save/load round trip, and its forward pass works in both modes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDocument, saveDocument } from '../document/graph';
import { defaultParams, resolveParams } from '../nodes/params';
import { seededRandom } from '../nodes/math/random';
import { allNodeDefinitions, builtInTypes, registerNodeType } from '../nodes/registry';
import type { AnyNodeDefinition, PortKind, Tensor, TensorSpec } from '../nodes/types';
import { initBackend, tf } from '../src/platform/tf-node';

const CANDIDATES: Record<PortKind, number[][]> = {
  map: [
    [16, 16, 2],
    [32, 32, 1],
    [28, 28, 1],
    [8, 8, 4],
  ],
  complex: [
    [16, 16, 4],
    [8, 8, 2],
  ],
  // [1]: a one-score loss (the quadratic hinge) takes nothing else.
  vector: [[10], [12], [64], [1]],
  code: [[8, 8, 6], [6]],
  logits: [[10]],
  moments: [[10], [24]],
};

/** Find input specs the node accepts at its default params. */
function sampleInputs(def: AnyNodeDefinition, params: Record<string, unknown>) {
  const ports = def.inputs.filter((p) => !p.optional);
  const options = ports.map((p) =>
    p.kinds.flatMap((k) => CANDIDATES[k].map((shape) => ({ kind: k, shape }) as TensorSpec)),
  );
  const combos: TensorSpec[][] = [[]];
  for (const opts of options) {
    const next: TensorSpec[][] = [];
    for (const c of combos) for (const o of opts) next.push([...c, o]);
    combos.splice(0, combos.length, ...next.slice(0, 200));
  }
  for (const combo of combos) {
    const inputs: Record<string, TensorSpec[]> = {};
    ports.forEach((p, i) => (inputs[p.name] = p.multi ? [combo[i], combo[i]] : [combo[i]]));
    const r = def.inferShape(params as never, inputs, { nodeId: 'n' });
    if (r.ok) return { inputs, result: r };
  }
  return undefined;
}

const defs = allNodeDefinitions();

beforeAll(async () => {
  await initBackend('cpu');
});

/** What a declaration says about its variables and read-outs is what lowering really creates. */
function expectDeclaredVariables(
  def: AnyNodeDefinition,
  params: Record<string, unknown>,
  names: string[],
  published: Set<string>,
) {
  const declared = [
    def.inputWeight?.variable,
    def.dictionary?.variable,
    ...(def.learnedFilters?.structure === 'kernel' ? [def.learnedFilters.variable] : []),
    ...(def.learnedFilters?.structure === 'morlet-bank' ? [def.learnedFilters.real, def.learnedFilters.imag] : []),
    ...(def.perChannel?.affine ?? []),
    def.perChannel?.statistics?.mean,
    def.perChannel?.statistics?.variance,
  ].filter((n) => n !== undefined);
  for (const n of declared) expect(names, `${def.type} declares variable "${n}"`).toContain(n);
  if (def.readouts) expect([...published].sort()).toEqual([...def.readouts(params as never)].sort());
  for (const p of [def.widthParam, def.redraw?.kind === 'new-seed' ? def.redraw.seedParam : undefined]) {
    if (p !== undefined) expect(def.params[p]?.kind, `${def.type}.${p}`).toBe('int');
  }
  if (def.redraw)
    expect(
      def.inputWeight && def.widthParam,
      `${def.type} can be redrawn, so it names its input weight and width`,
    ).toBeTruthy();
}

describe('node registry contract', () => {
  it('keys every built-in type by its own type id', () => {
    for (const [key, def] of Object.entries(builtInTypes)) expect(def.type).toBe(key);
    expect(new Set(defs.map((d) => d.type)).size).toBe(defs.length);
  });

  it('refuses a second type under an id that is taken', () => {
    expect(() => registerNodeType({ ...builtInTypes.Dense, title: 'Another dense' })).toThrow(/already registered/);
  });

  it('has the standard node types', () => {
    const types = defs.map((d) => d.type);
    for (const t of [
      'Input',
      'Conv2D',
      'Dense',
      'ReLU',
      'Abs',
      'AvgPool',
      'MaxPool',
      'Flatten',
      'BatchNorm',
      'Dropout',
      'Add',
      'Concat',
      'SoftmaxCrossEntropy',
    ]) {
      expect(types).toContain(t);
    }
  });

  for (const def of defs) {
    describe(def.type, () => {
      it('is documented', () => {
        expect(def.title.length).toBeGreaterThan(1);
        expect(def.doc.summary.length).toBeGreaterThan(10);
        expect(def.doc.formula.length).toBeGreaterThan(3);
        expect(def.doc.intuition.length).toBeGreaterThan(40);
        for (const p of [...def.inputs, ...def.outputs]) expect(p.doc.length).toBeGreaterThan(2);
        for (const [name, spec] of Object.entries(def.params)) expect(spec.help.length, name).toBeGreaterThan(5);
      });

      it('has defaults that pass its own schema', () => {
        const r = resolveParams(def, 'n', defaultParams(def.params));
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      });

      it('round-trips through a saved file', () => {
        const doc = {
          format: 'wavegraph' as const,
          version: 2,
          nodes: [
            {
              id: 'n',
              type: def.type,
              typeVersion: def.version,
              position: { x: 1, y: 2 },
              params: defaultParams(def.params),
            },
          ],
          edges: [],
        };
        const back = loadDocument(saveDocument(doc));
        expect(back.doc?.nodes[0]).toEqual(doc.nodes[0]);
      });

      it('infers the shape TensorFlow.js produces, in training and inference mode', () => {
        const params = resolveParams(def, 'n', defaultParams(def.params)).values;
        const found =
          def.role === 'input'
            ? { inputs: {}, result: def.inferShape(params as never, {}, { nodeId: 'n' }) }
            : sampleInputs(def, params);
        expect(found, `no input shape accepted by ${def.type}`).toBeDefined();
        const { inputs, result } = found!;
        if (!result.ok) throw new Error('unreachable');
        const made: Tensor[] = [];
        const names: string[] = [];
        const published = new Set<string>();
        const lowered = def.lower({
          params: params as never,
          inputs,
          outputs: result.outputs,
          ctx: {
            tf,
            nodeId: 'n',
            backend: tf.getBackend(),
            inputsNeedGradient: true,
            random: seededRandom(1),
            readout: (name) => void published.add(name),
            variable: (name, shape, init, o) => {
              names.push(name);
              const v = tf.variable(tf.tidy(init), o.trainable, `contract/${def.type}/${name}/${made.length}`);
              expect(v.shape, name).toEqual(shape);
              made.push(v);
              return v;
            },
          },
        });
        const batch = 2;
        for (const training of [true, false]) {
          const outs = tf.tidy(() => {
            const ins: Record<string, Tensor[]> = {};
            for (const [port, specs] of Object.entries(inputs))
              ins[port] = specs.map((s) => tf.randomUniform([batch, ...s.shape]));
            if (def.role === 'input') ins.data = [tf.randomUniform([batch, ...result.outputs.out.shape])];
            const o = lowered.apply(ins, { training, step: 0 });
            return Object.fromEntries(Object.entries(o).map(([k, t]) => [k, t.shape]));
          });
          for (const [port, spec] of Object.entries(result.outputs)) {
            expect(outs[port], `${def.type}.${port} (training=${training})`).toEqual([batch, ...spec.shape]);
          }
        }
        if (result.paramCount) {
          const counted = made.reduce((s, v) => s + v.size, 0);
          expect(result.paramCount.trainable + result.paramCount.fixed).toBe(counted);
        }
        for (const v of made) v.dispose();
        expectDeclaredVariables(def, params, names, published);
      });
    });
  }
});
