/**
 * Migrations run: a node saved without a typeVersion is at version 1, saving always
 * writes the version, and a file in today's format opens and saves unchanged.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validate } from '../../compiler/1-validate';
import { loadDocument, saveDocument, type GraphDocument, type GraphNode } from '../../document/graph';
import { registerNodeType } from '../../nodes/registry';
import { ScaleV2 } from './fixtures/scale-v2';

registerNodeType(ScaleV2);

const docWith = (node: Partial<GraphNode>): GraphDocument => ({
  format: 'wavegraph',
  version: 2,
  nodes: [{ id: 's', type: 'TestScale', position: { x: 0, y: 0 }, params: {}, ...node }],
  edges: [],
});
const factorOf = (doc: GraphDocument) => validate(doc, { partial: true }).nodes.get('s')!.params.factor;

describe('node type migrations', () => {
  it('migrates a version-1 node read from a file', () => {
    const v1 = loadDocument(JSON.stringify(docWith({ typeVersion: 1, params: { gain: 250 } })));
    expect(v1.diagnostics).toEqual([]);
    expect(factorOf(v1.doc!)).toBe(2.5);
  });

  it('reads a node with no typeVersion as version 1, so its migrations run', () => {
    expect(factorOf(docWith({ params: { gain: 50 } }))).toBe(0.5);
  });

  it('leaves a node at the current version as it is', () => {
    expect(factorOf(docWith({ typeVersion: 2, params: { factor: 3 } }))).toBe(3);
  });

  it('always writes the version on save', () => {
    const saved = JSON.parse(saveDocument(docWith({ params: { gain: 50 } })));
    expect(saved.nodes[0].typeVersion).toBe(1);
    expect(JSON.parse(saveDocument(docWith({ typeVersion: 2 }))).nodes[0].typeVersion).toBe(2);
  });

  const dir = new URL('../../templates/', import.meta.url);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    it(`opens and saves ${file} (today's format) unchanged`, () => {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const loaded = loadDocument(text);
      expect(loaded.diagnostics).toEqual([]);
      expect(loaded.doc!.nodes.every((n) => n.typeVersion !== undefined)).toBe(true);
      expect(saveDocument(loaded.doc!)).toBe(text);
    });
  }
});
