import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { analyze, loadDocument, MEMORY_BUDGET_BYTES } from '../../compiler';
import { mlpDoc } from '../helpers';

/** The graph from the issue: a 1024x1024x16 image flattened into 65536 units, a trillion weights. */
function hugeDoc() {
  const doc = mlpDoc(65536);
  doc.nodes[0].params = { height: 1024, width: 1024, channels: 16 };
  return doc;
}

describe('memory estimate', () => {
  it('counts weights, optimizer state and activations for a batch', () => {
    const m = analyze(mlpDoc(64), { batchSize: 10 }).shapes.memory;
    const weights = 784 * 64 + 64 + 64 * 10 + 10;
    // Per sample: input 784, flatten 784, fc1 64, relu 64, fc2 10, loss outputs (whatever it declares).
    expect(m.weightBytes).toBe(weights * 4);
    expect(m.optimizerBytes).toBe(weights * 12);
    expect(m.activationBytesPerSample).toBeGreaterThanOrEqual((784 * 2 + 64 * 2 + 10) * 4);
    expect(m.totalBytes).toBe(m.weightBytes + m.optimizerBytes + 2 * 10 * m.activationBytesPerSample);
    expect(m.budgetBytes).toBe(MEMORY_BUDGET_BYTES);
  });

  it('refuses the trillion-weight graph, pinned on the Dense that holds them', () => {
    const a = analyze(hugeDoc());
    expect(a.ok).toBe(false);
    const d = a.diagnostics.find((x) => x.code === 'memory-budget')!;
    expect(d).toMatchObject({ severity: 'error', nodeId: 'fc1', nodeTitle: 'Dense (linear)' });
    expect(d.message).toMatch(/^Training this graph at batch size 128 needs about [\d.]+ TiB .*more than the 2\.0 GiB/);
    expect(d.fix).toMatch(/batch size/);
  });

  it('depends on the batch size: activations alone can be over budget', () => {
    const doc = mlpDoc(10);
    doc.nodes[0].params = { height: 1024, width: 1024, channels: 4 };
    // 640 MiB of weights and Adam state; 4 Mi floats per sample, twice over (input and flatten)
    // and kept twice: 64 MiB a sample. A batch of 8 fits, one of 32 does not.
    expect(analyze(doc, { batchSize: 8 }).diagnostics.filter((d) => d.code === 'memory-budget')).toEqual([]);
    expect(analyze(doc, { batchSize: 32 }).diagnostics.some((d) => d.code === 'memory-budget')).toBe(true);
    expect(analyze({ ...doc, training: { batchSize: 32 } }).diagnostics.some((d) => d.code === 'memory-budget')).toBe(
      true,
    );
  });

  it('leaves every template well inside the budget', () => {
    const dir = new URL('../../templates/', import.meta.url);
    for (const f of readdirSync(dir)) {
      const doc = loadDocument(readFileSync(new URL(f, dir), 'utf8')).doc!;
      const a = analyze(doc);
      expect(
        a.diagnostics.filter((d) => d.code === 'memory-budget'),
        f,
      ).toEqual([]);
      expect(a.shapes.memory.totalBytes, f).toBeLessThan(MEMORY_BUDGET_BYTES / 8);
    }
  });
});
