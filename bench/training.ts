/**
 * Training throughput of a template in Node (samples per second over fixed-size
 * batches of random images, after a warm-up), and the PyTorch reference.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, DEFAULT_SETTINGS, FeatureBank, loadDocument, lower, train, type Dataset } from '../compiler';
import { initBackend, nodePlatform, tf } from '../src/platform/tf-node';

export interface ThroughputRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

function randomDataset(n: number, shape: [number, number, number], classes: number, seed = 7): Dataset {
  let s = seed;
  const rand = () => (s = (s * 1664525 + 1013904223) >>> 0) / 4294967296;
  const size = shape[0] * shape[1] * shape[2];
  const split = (count: number) => ({
    images: Float32Array.from({ length: count * size }, rand),
    labels: Uint8Array.from({ length: count }, () => Math.floor(rand() * classes)),
    count,
  });
  return { name: 'random', shape, classes, classNames: [], train: split(n), test: split(128) };
}

/** Samples/s training `template` for `steps` steps of batch `batch` (first epoch's warm-up excluded). */
export async function templateThroughput(
  template: string,
  backend: string,
  steps: number,
  batch = 128,
): Promise<number> {
  return (await templateRates(template, backend, steps, batch)).wall;
}

/**
 * The same, as samples per second of wall time and per CPU-second of this process
 * (less sensitive to other programs sharing the cores; one thread trains here).
 */
export async function templateRates(
  template: string,
  backend: string,
  steps: number,
  batch = 128,
): Promise<{ wall: number; cpu: number }> {
  await initBackend(backend);
  const { doc } = loadDocument(readFileSync(join('templates', template), 'utf8'));
  if (!doc) throw new Error(`cannot load ${template}`);
  const a = analyze(doc);
  if (!a.ok) throw new Error(`${template} does not validate`);
  const { model } = lower(a.validation, a.shapes, { tf, seed: 1 });
  if (!model) throw new Error(`${template} does not lower`);
  const input = a.validation.nodes.get(a.validation.inputNode!)!.params;
  const data = randomDataset(
    batch * (steps + 2),
    [input.height as number, input.width as number, input.channels as number],
    10,
  );
  const bank = new FeatureBank(model, data);
  let measured = 0;
  let perCpu = 0;
  let t0 = 0;
  let c0 = process.cpuUsage();
  await train(
    model,
    data,
    { ...DEFAULT_SETTINGS, batchSize: batch, epochs: 1, logEvery: 1 },
    nodePlatform,
    {
      onStep: (m) => {
        if (m.step === 2) {
          t0 = performance.now();
          c0 = process.cpuUsage();
        }
        if (m.step === steps + 2) {
          measured = (steps * batch) / ((performance.now() - t0) / 1000);
          const c = process.cpuUsage(c0);
          perCpu = (steps * batch) / ((c.user + c.system) / 1e6);
        }
      },
    },
    {},
    bank,
  );
  bank.dispose();
  model.dispose();
  return { wall: measured, cpu: perCpu };
}

/** PyTorch CPU training throughput of the same CNN, or undefined when torch is missing. */
export function pytorchThroughput(threads = 2, steps = 20): { value?: number; note: string } {
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const r = spawnSync(python, [join('bench', 'pytorch_cnn.py'), String(threads), String(steps)], { encoding: 'utf8' });
  if (r.status !== 0) {
    return {
      note: `PyTorch reference not run (${(r.stderr || '').trim().split('\n').pop()}); install it with: apt-get install -y python3-torch`,
    };
  }
  return { value: JSON.parse(r.stdout.trim().split('\n').pop()!).samplesPerSec, note: `torch, ${threads} threads` };
}
