import { beforeAll, describe, expect, it } from 'vitest';
import {
  analyze,
  DEFAULT_SETTINGS,
  FeatureBank,
  learningRateAt,
  lower,
  train,
  type Dataset,
  type StepRunner,
  type TrainSettings,
} from '../../compiler';
import { makeSynthetic } from '../../src/data/synthetic';
import { initBackend, nodePlatform, tf } from '../../src/platform/tf-node';
import { chainDoc, mlpDoc, node } from '../helpers';

let data: Dataset;
beforeAll(async () => {
  await initBackend('wasm');
  data = makeSynthetic({ seed: 3, train: 3000, test: 1000 });
});

const settings = (over: Partial<TrainSettings> = {}): TrainSettings => ({
  ...DEFAULT_SETTINGS,
  batchSize: 64,
  epochs: 1,
  logEvery: 5,
  ...over,
});

function build(doc = mlpDoc(), seed = 1) {
  const a = analyze(doc);
  expect(a.diagnostics).toEqual([]);
  const { model, diagnostics } = lower(a.validation, a.shapes, { tf, seed });
  expect(diagnostics).toEqual([]);
  return model!;
}

describe('training', () => {
  it('reaches 90% test accuracy on the synthetic dataset within two epochs', async () => {
    const model = build(mlpDoc(128));
    const full = makeSynthetic({ seed: 3 }); // the default size: 6000 train, 1000 test
    const r = await train(model, full, settings({ epochs: 2 }), nodePlatform);
    model.dispose();
    expect(r.status).toBe('completed');
    expect(r.epochs).toHaveLength(2);
    expect(r.finalTestAcc).toBeGreaterThanOrEqual(0.9);
    const last = r.epochs[1];
    expect(last.confusion.flat().reduce((a, b) => a + b, 0)).toBe(full.test.count);
    expect(last.backend).toBe('wasm');
    expect(last.samplesPerSec).toBeGreaterThan(0);
  });

  it('gives the same curve for the same seed and data, another for another seed', async () => {
    const curve = async (seed: number) => {
      const model = build(mlpDoc(32), seed);
      const losses: number[] = [];
      await train(model, data, settings({ seed, logEvery: 3 }), nodePlatform, { onStep: (m) => losses.push(m.loss) });
      model.dispose();
      return losses;
    };
    const a = await curve(5);
    const b = await curve(5);
    const c = await curve(6);
    expect(a.length).toBeGreaterThan(3);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('does not grow memory across steps', async () => {
    const doc = chainDoc([
      node('input', 'Input'),
      node('conv', 'Conv2D', { channels: 4, kernel: 3 }),
      node('bn', 'BatchNorm'),
      node('relu', 'ReLU'),
      node('pool', 'MaxPool'),
      node('drop', 'Dropout', { rate: 0.2 }),
      node('flat', 'Flatten'),
      node('fc', 'Dense', { units: 10 }),
      node('loss', 'SoftmaxCrossEntropy'),
    ]);
    const model = build(doc);
    const counts: number[] = [];
    const small = { ...data, train: { ...data.train, count: 640 }, test: { ...data.test, count: 64 } };
    await train(model, small, settings({ logEvery: 1, batchSize: 32 }), nodePlatform, {
      onStep: () => counts.push(tf.memory().numTensors),
    });
    model.dispose();
    expect(counts.length).toBe(20);
    expect(new Set(counts.slice(2)).size).toBe(1);
  });

  it('trains through a batch normalization without scale and shift', async () => {
    const doc = chainDoc([
      node('input', 'Input'),
      node('flat', 'Flatten'),
      node('bn', 'BatchNorm', { affine: false }),
      node('fc', 'Dense', { units: 10 }),
      node('loss', 'SoftmaxCrossEntropy'),
    ]);
    const model = build(doc);
    const r = await train(model, data, settings(), nodePlatform);
    model.dispose();
    expect(r.status).toBe('completed');
    expect(r.finalTestAcc).toBeGreaterThan(0.5);
  });

  it('stops with a diagnostic when the loss is not finite', async () => {
    const model = build(mlpDoc(32));
    const r = await train(model, data, settings({ optimizer: 'sgd', learningRate: 1e30, momentum: 0 }), nodePlatform);
    model.dispose();
    expect(r.status).toBe('diverged');
    expect(r.diagnostics[0].code).toBe('non-finite-loss');
    expect(r.diagnostics[0].fix).toMatch(/learning rate/);
  });

  it('reads a step while the next one runs, except at the steps it reports', async () => {
    // A runner that logs when a step is queued and when the loop reads its values.
    const events: string[] = [];
    const runner = (pipelined: boolean): StepRunner => ({
      pipelined,
      step: (_idx, stepNo) => {
        events.push(`queue ${stepNo}`);
        const values = Promise.resolve({ loss: stepNo === 14 ? NaN : 1, correct: 1 });
        const read = {
          then: (ok?: (v: { loss: number; correct: number }) => unknown, fail?: (e: unknown) => unknown) => {
            if (ok) events.push(`read ${stepNo}`);
            return values.then(ok, fail);
          },
          catch: (fail: (e: unknown) => unknown) => values.catch(fail),
        };
        return read as unknown as Promise<{ loss: number; correct: number }>;
      },
      predict: async (split) => new Int32Array(data[split].count),
      dispose: () => undefined,
    });
    const model = build(mlpDoc(8));
    const bank = new FeatureBank(model, data);
    const reports: number[] = [];
    const s = settings({ batchSize: 300, logEvery: 4 }); // 10 steps, reported after steps 4, 8 and 10
    const r = await train(model, data, s, nodePlatform, { onStep: (m) => reports.push(m.loss) }, {}, bank, async () =>
      runner(true),
    );
    expect(r.status).toBe('completed');
    expect(reports).toEqual([1, 1, 1]);
    expect(r.epochs[0].trainAcc).toBeCloseTo(10 / 3000, 12);
    const at = (e: string) => events.indexOf(e);
    for (let k = 0; k < 9; k++) {
      if (k === 3 || k === 7) expect(at(`read ${k}`)).toBeLessThan(at(`queue ${k + 1}`));
      else expect(at(`queue ${k + 1}`)).toBeLessThan(at(`read ${k}`));
    }
    // one step at a time for a runner that asks for it
    events.length = 0;
    await train(model, data, s, nodePlatform, {}, {}, bank, async () => runner(false));
    for (let k = 0; k < 9; k++) expect(at(`read ${k}`)).toBeLessThan(at(`queue ${k + 1}`));
    // a loss that is not finite stops the run, naming its own step, though read a step late
    const two = await train(model, data, { ...s, epochs: 2 }, nodePlatform, {}, {}, bank, async () => runner(true));
    expect(two.status).toBe('diverged');
    expect(two.diagnostics[0].message).toMatch(/epoch 2, step 5:/);
    bank.dispose();
    model.dispose();
  });

  it('stops on request', async () => {
    const model = build(mlpDoc(32));
    const control = { stop: false };
    let steps = 0;
    const r = await train(
      model,
      data,
      settings({ logEvery: 1 }),
      nodePlatform,
      {
        onStep: () => {
          if (++steps === 3) control.stop = true;
        },
      },
      control,
    );
    model.dispose();
    expect(r.status).toBe('stopped');
    expect(steps).toBe(3);
  });

  it('trains SGD with momentum as well as Adam', async () => {
    const model = build(mlpDoc(64));
    const r = await train(model, data, settings({ optimizer: 'sgd', learningRate: 0.05, momentum: 0.9 }), nodePlatform);
    model.dispose();
    expect(r.finalTestAcc).toBeGreaterThan(0.6);
  });

  it('anneals the learning rate to zero with the cosine schedule', async () => {
    expect(learningRateAt({ learningRate: 0.1, schedule: 'cosine' }, 0, 100)).toBeCloseTo(0.1, 12);
    expect(learningRateAt({ learningRate: 0.1, schedule: 'cosine' }, 50, 100)).toBeCloseTo(0.05, 12);
    expect(learningRateAt({ learningRate: 0.1, schedule: 'cosine' }, 100, 100)).toBeCloseTo(0, 12);
    expect(learningRateAt({ learningRate: 0.1, schedule: 'constant' }, 99, 100)).toBe(0.1);
    // The size of each step's update: the last one almost vanishes with cosine, not with constant.
    const updateSizes = async (schedule: 'constant' | 'cosine', optimizer: 'sgd' | 'adam') => {
      const model = build(mlpDoc(16));
      const w = model.trainableVariables[0];
      let prev = Array.from(w.dataSync());
      const sizes: number[] = [];
      await train(
        model,
        data,
        settings({ optimizer, momentum: 0, learningRate: 0.05, schedule, logEvery: 1, batchSize: 150 }),
        nodePlatform,
        {
          onStep: () => {
            const now = Array.from(w.dataSync());
            sizes.push(Math.sqrt(now.reduce((acc, v, i) => acc + (v - prev[i]) ** 2, 0)));
            prev = now;
          },
        },
      );
      model.dispose();
      return sizes;
    };
    for (const optimizer of ['sgd', 'adam'] as const) {
      const cosine = await updateSizes('cosine', optimizer);
      const constant = await updateSizes('constant', optimizer);
      expect(cosine).toHaveLength(20);
      // Relative to its first step, cosine's last step is far smaller than constant's.
      expect(cosine.at(-1)! / cosine[0]).toBeLessThan(0.2 * (constant.at(-1)! / constant[0]));
    }
  });

  it('computes a frozen front end once and trains the rest', async () => {
    const doc = chainDoc([
      node('input', 'Input'),
      node('pool', 'AvgPool', { size: 2 }),
      node('abs', 'Abs'),
      node('flat', 'Flatten'),
      node('fc', 'Dense', { units: 10 }),
      node('loss', 'SoftmaxCrossEntropy'),
    ]);
    const model = build(doc);
    expect(model.frozenPrefix()).toEqual(['input', 'pool', 'abs', 'flat']);
    const stored = new Map<string, Float32Array>();
    const cache = {
      get: async (k: string) => stored.get(k),
      set: async (k: string, v: Float32Array) => void stored.set(k, v),
    };
    const bank = new FeatureBank(model, data, { cache });
    let frozen: string[] = [];
    const r = await train(
      model,
      data,
      settings({ learningRate: 0.01, epochs: 2 }),
      nodePlatform,
      { onFrozen: (i) => (frozen = i.nodes) },
      {},
      bank,
    );
    expect(frozen).toContain('pool');
    expect(stored.size).toBe(2); // train and test features of the frontier
    expect(r.finalTestAcc).toBeGreaterThan(0.5);
    // The cached path predicts exactly what the full forward pass predicts.
    const x = tf.tensor4d(data.test.images.subarray(0, 64 * 784), [64, 28, 28, 1]);
    const direct = tf.tidy(() => tf.argMax(model.forward(x, { training: false }).logits, 1));
    const viaBank = tf.tidy(() => {
      const b = bank.batch(
        'test',
        Uint32Array.from({ length: 64 }, (_, i) => i),
      );
      return tf.argMax(model.forward(b.x, { training: false, preset: b.preset }).logits, 1);
    });
    expect(Array.from(await viaBank.data())).toEqual(Array.from(await direct.data()));
    tf.dispose([x, direct, viaBank]);
    // A second run reads the cache instead of recomputing.
    let sets = 0;
    const again = new FeatureBank(model, data, { cache: { get: cache.get, set: async () => void sets++ } });
    await again.prepare(nodePlatform);
    expect(sets).toBe(0);
    model.dispose();
  });
});
