/**
 * The promise of the registry: a node type written in one file (fixtures/training-noise.ts)
 * and registered through the normal entry point is in the palette with its docs,
 * validates, trains, is never cached as part of a frozen front end, and every research
 * instrument treats it by its declaration, with no other file touched.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  analyze,
  DEFAULT_SETTINGS,
  FeatureBank,
  lower,
  train,
  type CompiledModel,
  type Dataset,
  type GraphDocument,
} from '../../compiler';
import { registerNodeType } from '../../nodes/registry';
import { paletteGroups } from '../../src/app/panels/palette-data';
import { makeSynthetic } from '../../src/data/synthetic';
import { initBackend, nodePlatform, tf } from '../../src/platform/tf-node';
import { FilterEvolution } from '../../src/research/filter-evolution';
import { resample } from '../../src/research/resample';
import { layerSpectrum } from '../../src/research/layer-spectrum';
import { isDiagnostic } from '../../nodes/shapes';
import { chainDoc, node } from '../helpers';
import { TrainingNoise } from './fixtures/training-noise';

registerNodeType(TrainingNoise);
// The same node without its training-only behaviour declared: what the compiler would cache.
registerNodeType({ ...TrainingNoise, type: 'UndeclaredNoise', differsInTraining: undefined });

let data: Dataset;
beforeAll(async () => {
  await initBackend('cpu');
  data = makeSynthetic({ seed: 2, train: 256, test: 64 });
});

const noisyDoc = (type = 'TrainingNoise'): GraphDocument =>
  chainDoc([
    node('input', 'Input', { height: 28, width: 28, channels: 1 }),
    node('pool', 'AvgPool', { size: 2 }),
    node('noise', type, { std: 0.5 }),
    node('flat', 'Flatten'),
    node('fc', 'Dense', { units: 10 }),
    node('loss', 'SoftmaxCrossEntropy', { classes: 10 }),
  ]);

function build(doc: GraphDocument): CompiledModel {
  const a = analyze(doc);
  expect(a.diagnostics).toEqual([]);
  const { model, diagnostics } = lower(a.validation, a.shapes, { tf, seed: 1 });
  expect(diagnostics).toEqual([]);
  return model!;
}

/** What the layer after the noise reads, for the same images at a step of the first and of the second epoch. */
async function noiseAcrossEpochs(
  doc: GraphDocument,
): Promise<{ frozen: string[]; first: Float32Array; second: Float32Array }> {
  const model = build(doc);
  const bank = new FeatureBank(model, data);
  await bank.prepare(nodePlatform);
  const stepsPerEpoch = data.train.count / 64;
  const idx = Uint32Array.from({ length: 8 }, (_, i) => i);
  const at = (step: number) =>
    tf.tidy(() => {
      const { x, preset } = bank.batch('train', idx);
      return model
        .forward(x, { training: true, step, preset, keep: new Set(['flat']) })
        .kept.get('flat')!
        .out.dataSync() as Float32Array;
    });
  const out = { frozen: bank.frozenNodes, first: at(3), second: at(stepsPerEpoch + 3) };
  bank.dispose();
  model.dispose();
  return out;
}

describe('a node type declared in one fixture file', () => {
  it('appears in the palette data, in its category, with its docs', () => {
    const found = paletteGroups('gaussian noise training').flatMap(([category, defs]) =>
      defs.map((d) => [category, d] as const),
    );
    const entry = found.find(([, d]) => d.type === 'TrainingNoise');
    expect(entry?.[0]).toBe('Normalization');
    expect(entry?.[1].doc.summary).toMatch(/adds Gaussian noise/);
  });

  it('validates, and its problems name it like any other node', () => {
    expect(analyze(noisyDoc()).ok).toBe(true);
    const bad = analyze({
      ...noisyDoc(),
      nodes: noisyDoc().nodes.map((n) => (n.id === 'noise' ? { ...n, params: { std: -1 } } : n)),
    });
    expect(bad.diagnostics.some((d) => d.nodeId === 'noise' && d.severity === 'error')).toBe(true);
  });

  it('trains', async () => {
    const model = build(noisyDoc());
    const r = await train(model, data, { ...DEFAULT_SETTINGS, batchSize: 64, epochs: 2, logEvery: 2 }, nodePlatform);
    model.dispose();
    expect(r.status).toBe('completed');
    expect(r.epochs).toHaveLength(2);
    expect(r.epochs.every((e) => Number.isFinite(e.loss))).toBe(true);
  });

  it('is not cached as a frozen front end: its output differs between two training epochs', async () => {
    const declared = await noiseAcrossEpochs(noisyDoc());
    expect(declared.frozen).toEqual(['input', 'pool']);
    expect(declared.second).not.toEqual(declared.first);
    // Without `differsInTraining` the compiler would cache it and replay one draw of the noise.
    const undeclared = await noiseAcrossEpochs(noisyDoc('UndeclaredNoise'));
    expect(undeclared.frozen).toContain('noise');
    expect(undeclared.second).toEqual(undeclared.first);
  });

  it('is treated by its declaration by every research instrument', async () => {
    const doc = chainDoc([
      node('input', 'Input', { height: 28, width: 28, channels: 1 }),
      node('noise', 'TrainingNoise', { std: 0.1 }),
      node('conv', 'Conv2D', { channels: 4, kernel: 5 }),
      node('pool', 'AvgPool', { size: 4 }),
      node('flat', 'Flatten'),
      node('rf', 'RandomFeature', { width: 32 }),
      node('noise2', 'TrainingNoise', { std: 0.1 }),
      node('fc', 'Dense', { units: 10 }),
      node('loss', 'SoftmaxCrossEntropy', { classes: 10 }),
    ]);
    const model = build(doc);
    // Filter evolution: noise is no learned layer, so the convolution after it is still a first layer.
    expect(new FilterEvolution(doc, model, { every: 1 }).banks.map((b) => b.nodeId)).toEqual(['conv']);
    // Spectra: it has no input weight, so no covariance.
    expect(isDiagnostic(layerSpectrum(model, 'noise', 'TrainingNoise'))).toBe(true);
    await train(model, data, { ...DEFAULT_SETTINGS, batchSize: 64, epochs: 1, logEvery: 2 }, nodePlatform);
    const weights = new Map(model.variables.map((v) => [v.key, v.variable.clone()]));
    model.dispose();
    // Resampling: it keeps channels, so the redrawn layer is aligned through it to the next one.
    const r = await resample(tf, doc, weights, data, {
      draws: 1,
      width: 16,
      retrainHead: false,
      alignSamples: 128,
      batch: 64,
      platform: nodePlatform,
    });
    for (const t of weights.values()) t.dispose();
    expect(r.ok ? r.report.layers : r.diagnostics).toEqual([
      { node: 'rf', type: 'RandomFeature', width: 32, newWidth: 16 },
    ]);
  });
});
