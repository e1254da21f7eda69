import { describe, expect, it } from 'vitest';
import { analyze } from '../../../compiler/index';
import { emptyDocument, type GraphDocument } from '../../../document/graph';
import { produce } from 'immer';
import { addNode, connect, copySelection, pasteClip, removeElements } from './ops';
import { checkConnection } from './connection-check';
import { collapseGroup, expandGroup } from './groups';

function chain(...types: string[]): GraphDocument {
  return produce(emptyDocument(), (d) => {
    const ids = types.map((t, i) => addNode(d, t, { x: i * 220, y: 0 }));
    for (let i = 1; i < ids.length; i++) connect(d, { node: ids[i - 1], port: 'out' }, { node: ids[i], port: 'in' });
  });
}

describe('graph edits', () => {
  it('copy/paste keeps the internal edges and drops the ones to the outside', () => {
    const doc = chain('Input', 'Conv2D', 'ReLU', 'Flatten');
    const clip = copySelection(doc, ['conv2d1', 'relu1']);
    expect(clip.edges).toHaveLength(1);
    const next = produce(doc, (d) => void pasteClip(d, clip, { x: 40, y: 40 }));
    expect(next.nodes.map((n) => n.id)).toEqual(['input1', 'conv2d1', 'relu1', 'flatten1', 'conv2d2', 'relu2']);
    expect(next.edges.find((e) => e.source === 'conv2d2')).toMatchObject({ target: 'relu2', targetPort: 'in' });
    expect(next.nodes[4].position).toEqual({ x: 260, y: 40 });
  });

  it('deleting a node deletes its edges', () => {
    const doc = produce(chain('Input', 'Conv2D', 'ReLU'), (d) => removeElements(d, ['conv2d1']));
    expect(doc.edges).toEqual([]);
  });
});

describe('connection check', () => {
  const doc = chain('Input', 'Conv2D', 'ReLU', 'Flatten', 'Dense');
  const a = analyze(doc, { partial: true });
  it('refuses a map into a vector input and says why', () => {
    const v = checkConnection(doc, a, { node: 'input1', port: 'out' }, { node: 'dense1', port: 'in' });
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(/Kind mismatch.*Flatten/);
  });
  it('refuses a taken port and a cycle', () => {
    const taken = checkConnection(doc, a, { node: 'input1', port: 'out' }, { node: 'relu1', port: 'in' });
    expect(!taken.ok && taken.reason).toMatch(/Port taken/);
    const loop = produce(doc, (d) => void (d.edges = d.edges.filter((e) => e.target !== 'conv2d1')));
    const cyc = checkConnection(
      loop,
      analyze(loop, { partial: true }),
      { node: 'relu1', port: 'out' },
      { node: 'conv2d1', port: 'in' },
    );
    expect(!cyc.ok && cyc.reason).toMatch(/cycle/);
  });
  it('accepts a fitting connection', () => {
    const open = produce(doc, (d) => void (d.edges = d.edges.filter((e) => e.target !== 'dense1')));
    expect(
      checkConnection(
        open,
        analyze(open, { partial: true }),
        { node: 'flatten1', port: 'out' },
        { node: 'dense1', port: 'in' },
      ).ok,
    ).toBe(true);
  });
});

describe('groups', () => {
  it('expands a Scattering2D node into its parts with the same output shape, and collapses back', () => {
    const doc = chain('Input', 'Scattering2D', 'Flatten');
    const shapeBefore = analyze(doc, { partial: true }).shapes.edges.get('flatten1:in');
    const open = produce(doc, (d) => void expandGroup(d, 'scattering2d1'));
    expect(open.nodes.some((n) => n.type === 'WaveletConv' && n.group === 'scattering2d1')).toBe(true);
    expect(open.groups).toHaveLength(1);
    const a = analyze(open, { partial: true });
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const into = open.edges.find((e) => e.target === 'flatten1')!;
    expect(a.shapes.edges.get(into.id)).toEqual(shapeBefore);
    const closed = produce(open, (d) => void collapseGroup(d, 'scattering2d1'));
    expect(closed.nodes.map((n) => n.type).sort()).toEqual(['Flatten', 'Input', 'Scattering2D']);
    expect(closed.groups).toBeUndefined();
    expect(analyze(closed, { partial: true }).shapes.edges.get('flatten1:in')).toEqual(shapeBefore);
  });
});
