/** Shared by the export tests: a template's Wavegraph model, its package on disk, a python with torch. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { analyze, loadDocument, lower, type CompiledModel } from '../../compiler';
import { pytorchPackage, settingsOf } from '../../src/export/package';
import type { NamedArray } from '../../src/platform/weights';
import { tf } from '../../src/platform/tf-node';
import { lossObjective } from '../../compiler/4-train';
import type { Tensor } from '../../nodes/types';

/**
 * A python3 that imports torch: WAVEGRAPH_PYTHON when set (to run the parity tests against
 * another torch, say a 2.x in a chroot behind a wrapper script), else Debian's /usr/bin/python3.
 * A WAVEGRAPH_PYTHON that cannot import torch is an error, not a reason to skip.
 */
export function torchPython(): string | undefined {
  const chosen = process.env.WAVEGRAPH_PYTHON;
  for (const p of chosen ? [chosen] : ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(p, ['-c', 'import torch, numpy'], { stdio: 'ignore' });
      return p;
    } catch {
      if (chosen) throw new Error(`WAVEGRAPH_PYTHON=${chosen} cannot import torch and numpy`);
    }
  }
  return undefined;
}

/** The torchrun that goes with torchPython(): WAVEGRAPH_TORCHRUN when set, else torchrun on the PATH. */
export const torchrunCommand = (): string => process.env.WAVEGRAPH_TORCHRUN || 'torchrun';

/** A template by name, or any graph file by its path (ending in .json). */
export function template(name: string) {
  const text = readFileSync(name.endsWith('.json') ? name : join('templates', `${name}.json`), 'utf8');
  const doc = loadDocument(text).doc!;
  const analysis = analyze(doc);
  if (!analysis.ok) throw new Error(`${name} does not validate`);
  return { text, doc, analysis, settings: settingsOf(doc) };
}

/**
 * The templates that export: every classifier. Statistics models (ending in Moments) are
 * synthesized, not trained, and export refuses them (registry-export.test.ts checks that).
 */
export function exportableTemplates(): string[] {
  return readdirSync('templates')
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .filter((name) => !template(name).analysis.validation.momentsNode);
}

export async function variables(model: CompiledModel): Promise<NamedArray[]> {
  const out: NamedArray[] = [];
  for (const v of model.variables)
    out.push({ key: v.key, shape: v.variable.shape, data: Float32Array.from(await v.variable.data()) });
  return out;
}

/**
 * Graphs written for the export tests (tests/export/graphs), by path: node options that no
 * template classifier uses but an export must still carry, such as LowPass's high band.
 */
export function exportTestGraphs(): string[] {
  const dir = join('tests', 'export', 'graphs');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(dir, f));
}

/** The template's model at its seed, and its package written to a fresh folder. */
export async function exported(name: string, seed?: number) {
  const t = template(name);
  const { model } = lower(t.analysis.validation, t.analysis.shapes, { tf, seed: seed ?? t.settings.seed });
  if (!model) throw new Error('lower failed');
  const weights = await variables(model);
  const dir = mkdtempSync(join(tmpdir(), `wg-export-${basename(name, '.json')}-`));
  writePackage(dir, pytorchPackage(t.doc, t.analysis, weights, t.text));
  return { ...t, model, weights, dir };
}

export function writePackage(dir: string, files: Map<string, string | Uint8Array>) {
  for (const [name, data] of files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
}

/** Deterministic pseudo-random images in [0, 1] (every scattering channel varies across them), and labels. */
export function images(n: number, h: number, w: number, c: number): { x: Float32Array; labels: Int32Array } {
  const x = new Float32Array(n * h * w * c);
  let s = 12345;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = (s >>> 8) / 16777216;
  }
  return { x, labels: Int32Array.from({ length: n }, (_, i) => (i * 3) % 10) };
}

export function relativeL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / Math.max(n, 1e-30));
}

/**
 * The template's training loss on dataset labels 0..9 as Wavegraph computes it: a loss
 * that groups classes (the hinge's binary split) sees its own labels, as in training.
 */
export function templateLoss(model: CompiledModel, logits: Tensor, labels: Int32Array, classes = 10): Tensor {
  const n = model.validation.nodes.get(model.lossNode)!;
  const names = Array.from({ length: classes }, (_, c) => String(c));
  const g = n.def.objective?.classes(n.params as never, { name: 'images', classes, classNames: names });
  const own = g && 'groupOf' in g ? labels.map((c) => g.groupOf[c]) : labels;
  return tf.tidy(() => lossObjective(model, classes).loss(logits, tf.tensor1d(own, 'int32')));
}
