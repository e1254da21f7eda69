/**
 * `wavegraph export <graph.json> --to pytorch --out DIR [--weights DIR] [--force]`
 * `wavegraph export <graph.json> --to onnx --out model.onnx [--weights DIR] [--force]`
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NamedArray } from '../../platform/weights';
import { loadWeights } from '../../platform/weights-node';
import { initBackend, tf } from '../../platform/tf-node';
import { EXPORT_MARKER, pytorchPackage, settingsOf } from '../../export/package';
import { exportRefusal } from '../../../compiler/export/pytorch';
import { onnxModel } from '../../export/onnx';
import { buildModel } from '../train-setup';
import { loadGraphFile, printDiagnostics } from '../graph-file';
import { flagBool, flagString, parseArgs, type CliIO } from '../io';

const HELP = `Usage: wavegraph export <graph.json> --to pytorch|onnx --out <path> [options]
  --to pytorch      a folder with model.py, train.py (torchrun / DDP), README.md and weights/
  --to onnx         one inference model (opset 17): float32 NCHW images in, class scores out
  --out <path>      the folder (pytorch) or the .onnx file to write
  --weights <dir>   trained weights to export (default: the graph's initial weights)
  --force           overwrite an existing folder or file that is not an earlier export`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, ['help', 'force']);
  if (flagBool(p, 'help')) {
    io.out(HELP);
    return 0;
  }
  const to = flagString(p, 'to');
  const out = flagString(p, 'out');
  if (to !== 'pytorch' && to !== 'onnx') {
    io.err(`Say what to export to: --to pytorch or --to onnx${to ? ` (not "${to}")` : ''}.`);
    return 1;
  }
  if (!out) {
    io.err(`Say where to write it: --out ${to === 'pytorch' ? '<folder>' : 'model.onnx'}.`);
    return 1;
  }
  const force = flagBool(p, 'force');
  const refusal = to === 'pytorch' ? folderRefusal(out, force) : fileRefusal(out, force);
  if (refusal) {
    io.err(refusal);
    return 1;
  }
  const g = loadGraphFile(p.positional[0], io, { requireValid: true });
  if (!g) {
    io.err('Nothing was written: fix the graph first (wavegraph validate shows every problem).');
    return 1;
  }
  const refused = exportRefusal(g.analysis);
  if (refused) {
    printDiagnostics(io, [refused], `${g.path}: `);
    io.err('Nothing was written.');
    return 1;
  }
  await initBackend('cpu');
  const weights = await exportWeights(g, flagString(p, 'weights'), io);
  if (!weights) return 1;
  if (to === 'pytorch') {
    const files = pytorchPackage(g.doc, g.analysis, weights, readFileSync(g.path, 'utf8'));
    for (const [name, data] of files) {
      const path = join(out, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, data);
    }
    const s = settingsOf(g.doc);
    io.out(
      `Wrote ${out}/ (model.py, train.py, README.md, weights/). Train it with:\n  cd ${out} && python3 train.py --epochs ${s.epochs}\n  cd ${out} && torchrun --standalone --nproc_per_node=2 train.py`,
    );
  } else {
    const bytes = onnxModel(g.doc, g.analysis, weights);
    mkdirSync(dirname(out) || '.', { recursive: true });
    writeFileSync(out, bytes);
    io.out(`Wrote ${out} (ONNX opset 17, input "images" float32 [B, C, H, W], output "scores").`);
  }
  return 0;
}

/** The graph's variables: its seeded initialization, or --weights checked name by name and shape by shape. */
async function exportWeights(
  g: NonNullable<ReturnType<typeof loadGraphFile>>,
  dir: string | undefined,
  io: CliIO,
): Promise<NamedArray[] | undefined> {
  let loaded: Map<string, import('../../../nodes/types').Tensor> | undefined;
  if (dir) {
    const r = loadWeights(dir, tf);
    if (!r.weights) {
      printDiagnostics(io, [r.diagnostic!]);
      return undefined;
    }
    loaded = r.weights;
  }
  const model = buildModel(g.analysis, settingsOf(g.doc).seed, io);
  if (!model) return undefined;
  try {
    if (loaded) {
      const problems = weightProblems(
        model.variables.map((v) => ({ key: v.key, shape: v.variable.shape })),
        loaded,
      );
      if (problems.length) {
        io.err(
          `The weights in ${dir} do not belong to this graph:\n${problems.map((p) => `  ${p}`).join('\n')}\nNothing was written.`,
        );
        return undefined;
      }
    }
    const arrays: NamedArray[] = [];
    for (const v of model.variables) {
      const t = loaded?.get(v.key) ?? v.variable;
      arrays.push({ key: v.key, shape: v.variable.shape, data: Float32Array.from(await t.data()) });
    }
    return arrays;
  } finally {
    model.dispose();
    for (const t of loaded?.values() ?? []) t.dispose();
  }
}

/** Every weight the graph needs that is missing or has another shape, and every weight it does not have. */
export function weightProblems(
  wanted: { key: string; shape: number[] }[],
  given: Map<string, { shape: number[] }>,
): string[] {
  const out: string[] = [];
  const keys = new Set(wanted.map((w) => w.key));
  for (const w of wanted) {
    const g = given.get(w.key);
    if (!g) out.push(`"${w.key}" [${w.shape.join(', ')}] is missing`);
    else if (g.shape.join() !== w.shape.join())
      out.push(`"${w.key}" is [${g.shape.join(', ')}], the graph needs [${w.shape.join(', ')}]`);
  }
  for (const k of given.keys()) if (!keys.has(k)) out.push(`"${k}" is not in this graph`);
  return out;
}

function folderRefusal(out: string, force: boolean): string | undefined {
  if (!existsSync(out) || force) return undefined;
  if (!statSync(out).isDirectory())
    return `${out} exists and is not a folder; choose another --out (or --force to replace it).`;
  if (readdirSync(out).length === 0 || existsSync(join(out, EXPORT_MARKER))) return undefined;
  return `${out} exists and is not an earlier Wavegraph export; nothing was written. Choose an empty or new folder, or pass --force to write into it.`;
}

function fileRefusal(out: string, force: boolean): string | undefined {
  if (!existsSync(out) || force) return undefined;
  if (statSync(out).isDirectory()) return `${out} is a folder; give the .onnx file to write.`;
  const head = readFileSync(out).subarray(0, 2);
  // an ONNX model starts with field 1 (ir_version, varint): byte 0x08
  if (out.endsWith('.onnx') && head[0] === 0x08) return undefined;
  return `${out} exists and is not an earlier ONNX export; nothing was written (pass --force to replace it).`;
}
