import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, loadDocument } from '../../compiler';
import { chainDoc, mlpDoc, node } from '../helpers';

describe('infer shapes', () => {
  it('gives the CNN template the shapes of the PyTorch reference', () => {
    const doc = loadDocument(readFileSync('templates/cnn.json', 'utf8')).doc!;
    const a = analyze(doc);
    expect(a.diagnostics).toEqual([]);
    const out = (id: string) => a.shapes.outputs.get(id)!.out.shape;
    expect(out('conv1')).toEqual([28, 28, 32]);
    expect(out('pool1')).toEqual([14, 14, 32]);
    expect(out('pool2')).toEqual([7, 7, 64]);
    expect(out('flatten')).toEqual([3136]);
    expect(a.shapes.total.trainable).toBe(832 + 51264 + 401536 + 1290);
    expect(a.shapes.edges.get('flatten-dense1')).toEqual({ kind: 'vector', shape: [3136] });
  });

  it('reports a shape mismatch on the node and port where it happens', () => {
    const doc = mlpDoc();
    doc.nodes[4].params.units = 7;
    const d = analyze(doc).diagnostics.find((x) => x.code === 'shape-mismatch')!;
    expect(d).toMatchObject({ nodeId: 'loss', port: 'in' });
    expect(d.fix).toMatch(/units/);
  });

  it('explains a window that does not fit', () => {
    const doc = chainDoc([
      node('input', 'Input', { height: 4, width: 4 }),
      node('c', 'Conv2D', { kernel: 7, padding: 'valid' }),
    ]);
    const d = analyze(doc, { partial: true }).diagnostics[0];
    expect(d.code).toBe('shape-mismatch');
    expect(d.fix).toMatch(/same/);
  });

  it('does not pile up follow-on errors downstream of a broken node', () => {
    const doc = mlpDoc();
    doc.nodes[2].params.units = -3;
    const a = analyze(doc);
    expect(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['bad-param']);
  });

  it('handles a 300-node graph', () => {
    const nodes = [node('input', 'Input'), node('flat', 'Flatten')];
    for (let i = 0; i < 298; i++) nodes.push(node(`r${i}`, i % 2 ? 'ReLU' : 'Abs'));
    const a = analyze(chainDoc(nodes), { partial: true });
    expect(a.diagnostics).toEqual([]);
    expect(a.shapes.outputs.size).toBe(300);
  });
});
