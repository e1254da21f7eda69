import { describe, expect, it } from 'vitest';
import { analyze } from '../../compiler';
import { validate } from '../../compiler/1-validate';
import { chainDoc, edge, mlpDoc, node } from '../helpers';

const codes = (doc: ReturnType<typeof mlpDoc>) =>
  analyze(doc)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => d.code);

describe('validate', () => {
  it('accepts a well-formed graph and orders it topologically', () => {
    const v = validate(mlpDoc());
    expect(v.diagnostics).toEqual([]);
    expect(v.order).toEqual(['input', 'flat', 'fc1', 'act', 'fc2', 'loss']);
    expect(v.inputNode).toBe('input');
    expect(v.lossNode).toBe('loss');
  });

  it('fills defaults for missing params', () => {
    const v = validate(mlpDoc());
    expect(v.nodes.get('fc1')!.params.bias).toBe(true);
  });

  it('flags an unknown node type but keeps the rest', () => {
    const doc = mlpDoc();
    doc.nodes.push(node('mystery', 'Teleporter'));
    const d = validate(doc).diagnostics.find((x) => x.code === 'unknown-node-type')!;
    expect(d.nodeId).toBe('mystery');
    expect(d.message).toMatch(/Teleporter/);
  });

  it('flags an out-of-range param with the allowed range', () => {
    const doc = mlpDoc();
    doc.nodes[2].params.units = 0;
    const d = validate(doc).diagnostics.find((x) => x.code === 'bad-param')!;
    expect(d).toMatchObject({ nodeId: 'fc1', param: 'units', nodeTitle: 'Dense (linear)' });
    expect(d.message).toMatch(/from 1 to 65536/);
  });

  it('flags a wrong param type', () => {
    const doc = mlpDoc();
    doc.nodes[2].params.units = 'ten';
    expect(codes(doc)).toContain('bad-param');
  });

  it('finds cycles and names every node in them', () => {
    const doc = mlpDoc();
    doc.nodes.push(node('a', 'ReLU'), node('b', 'ReLU'));
    doc.edges.push(edge('a', 'b'), { ...edge('b', 'a'), id: 'back' });
    const cyc = validate(doc).diagnostics.filter((d) => d.code === 'cycle');
    expect(cyc.map((d) => d.nodeId).sort()).toEqual(['a', 'b']);
  });

  it('reports a long cycle in bounded text, in time linear in its length', () => {
    const n = 20_000;
    const ring = Array.from({ length: n }, (_, i) => node(`r${i}`, 'ReLU'));
    const doc = chainDoc(ring);
    doc.edges.push({ ...edge(`r${n - 1}`, 'r0'), id: 'back' });
    // A tail hanging off the ring is stuck behind it but is not part of it.
    doc.nodes.push(node('tail', 'ReLU'));
    doc.edges.push(edge('r5', 'tail'));
    const v = validate(doc, { partial: true });
    const cyc = v.diagnostics.filter((d) => d.code === 'cycle');
    expect(cyc.length).toBeGreaterThan(0);
    expect(cyc.length).toBeLessThanOrEqual(8);
    expect(cyc.map((d) => d.nodeId)).not.toContain('tail');
    for (const d of cyc) {
      expect(d.message.length).toBeLessThan(300);
      expect(d.message).toMatch(/cycle of 20000 nodes/);
      expect(d.message).toMatch(/r0 → r1 → r2/);
    }
    expect(v.diagnostics.reduce((s, d) => s + d.message.length, 0)).toBeLessThan(5000);
  });

  it('names a self-loop and each of two separate cycles', () => {
    const doc = mlpDoc();
    doc.nodes.push(node('s', 'ReLU'), node('a', 'ReLU'), node('b', 'ReLU'), node('c', 'ReLU'), node('d', 'ReLU'));
    doc.edges.push(edge('s', 's'), edge('a', 'b'), edge('b', 'a'), edge('c', 'd'), edge('d', 'c'));
    const cyc = validate(doc).diagnostics.filter((d) => d.code === 'cycle');
    expect(cyc.map((d) => d.nodeId).sort()).toEqual(['a', 'b', 'c', 'd', 's']);
    expect(cyc.find((d) => d.nodeId === 's')!.message).toMatch(/loop onto itself \(s → s\)/);
    expect(cyc.find((d) => d.nodeId === 'c')!.message).toMatch(/cycle of 2 nodes \((c → d → c|d → c → d)\)/);
  });

  it('flags an unconnected required input', () => {
    const doc = mlpDoc();
    doc.edges = doc.edges.filter((e) => e.target !== 'act');
    const d = validate(doc).diagnostics.find((x) => x.code === 'unconnected-input')!;
    expect(d).toMatchObject({ nodeId: 'act', port: 'in' });
  });

  it('refuses a second edge into a single-input port', () => {
    const doc = mlpDoc();
    doc.edges.push({ ...edge('fc1', 'fc2'), id: 'zz-extra' });
    expect(codes(doc)).toContain('input-port-taken');
  });

  it('refuses ports that do not exist and edges to missing nodes', () => {
    const doc = mlpDoc();
    doc.edges.push({ id: 'x1', source: 'fc1', sourcePort: 'nope', target: 'act', targetPort: 'in' });
    doc.edges.push({ id: 'x2', source: 'ghost', sourcePort: 'out', target: 'act', targetPort: 'in' });
    const c = validate(doc).diagnostics.map((d) => d.code);
    expect(c).toContain('unknown-port');
    expect(c).toContain('dangling-edge');
  });

  it('refuses edges between incompatible port kinds', () => {
    const doc = chainDoc([
      node('input', 'Input'),
      node('fc', 'Dense', { units: 10 }),
      node('loss', 'SoftmaxCrossEntropy'),
    ]);
    const d = validate(doc).diagnostics.find((x) => x.code === 'port-kind-mismatch')!;
    expect(d.nodeId).toBe('fc');
    expect(d.fix).toMatch(/Flatten/);
  });

  it('requires exactly one Input and one loss for training, not for partial graphs', () => {
    const doc = chainDoc([node('input', 'Input'), node('flat', 'Flatten')]);
    expect(codes(doc)).toContain('no-loss-node');
    expect(validate(doc, { partial: true }).diagnostics).toEqual([]);
    const two = mlpDoc();
    two.nodes.push(node('input2', 'Input'));
    expect(codes(two)).toContain('too-many-input-nodes');
  });

  it('flags duplicate node ids', () => {
    const doc = mlpDoc();
    doc.nodes.push(node('fc1', 'ReLU'));
    expect(codes(doc)).toContain('duplicate-id');
  });
});
