/**
 * `wavegraph scatter --J <J> --L <L> [--max-order 1|2] --input <in.npy> --output <out.npy>`:
 * the 2D scattering transform of a stack of images, with Kymatio's layout and channel
 * order. Every check runs before anything is written; the output appears whole or not
 * at all (written to a temporary name, then renamed).
 */
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { DataFormatError } from '../../data/errors';
import { npyHeader, readNpy } from '../../data/npy';
import { channelCount, outputSize } from '../../../nodes/math/filter-bank';
import { scatteringForwardParallel, startScatteringWorkers } from '../../platform/scattering-fast-node';
import { flagBool, flagNumber, flagString, parseArgs, UsageError, type CliIO } from '../io';

const HELP = `Usage: wavegraph scatter --J <J> --L <L> [--max-order 1|2] --input <in.npy> --output <out.npy> [--threads N] [--backend js]

Computes the 2D scattering transform (Morlet wavelets, Kymatio's conventions) of
float32 images stored as (B, H, W) or (H, W) in a .npy file, and writes float32
coefficients (B, K, H', W') or (K, H', W'), with K = 1 + J L + L^2 J (J - 1) / 2 channels
(1 + J L for --max-order 1) and H' = H / 2^J for sides that are multiples of 2^J.
Needs 2^J <= min(H, W). The transform runs on the framework-free JavaScript path
("js") using every core; TensorFlow.js backend names are accepted and reported.`;

const BACKENDS = ['js', 'cpu', 'wasm', 'webgl', 'webgpu'];

/** 'float64' for '<f8', and so on, for messages. */
function dtypeName(descr: string): string {
  const kinds: Record<string, string> = { f: 'float', i: 'int', u: 'uint', b: 'bool' };
  const m = /^[<>|=]([fiub])(\d+)$/.exec(descr);
  return m ? (m[1] === 'b' ? 'bool' : `${kinds[m[1]]}${Number(m[2]) * 8}`) : descr;
}

/**
 * A file read straight into shared memory, where every thread of the scattering reads
 * it: no copy of the images (reading into a Buffer, then into shared memory, took
 * 0.2 s of 8,192 images' 25 MB).
 */
async function readShared(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    let at = 0;
    while (at < size) {
      const { bytesRead } = await file.read(bytes, at, size - at, at);
      if (!bytesRead) break;
      at += bytesRead;
    }
    return at === size ? bytes : bytes.subarray(0, at);
  } finally {
    await file.close();
  }
}

/** A problem with what the person asked for: printed as one paragraph, exit status 1. */
class InputProblem extends Error {}

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, ['help']);
  if (flagBool(p, 'help')) {
    io.out(HELP);
    return 0;
  }
  try {
    const J = flagNumber(p, 'J', { int: true, min: 1, max: 12 });
    const L = flagNumber(p, 'L', { int: true, min: 1, max: 64 });
    const order = flagNumber(p, 'max-order', { int: true, min: 1, max: 2 }) ?? 2;
    const threads = flagNumber(p, 'threads', { int: true, min: 1, max: 256 });
    const input = flagString(p, 'input');
    const output = flagString(p, 'output');
    const backend = flagString(p, 'backend') ?? 'js';
    if (J === undefined) throw new UsageError('--J (number of scales, e.g. 2) is required.');
    if (L === undefined) throw new UsageError('--L (number of orientations, e.g. 8) is required.');
    if (!input) throw new UsageError('--input <file.npy> is required.');
    if (!output) throw new UsageError('--output <file.npy> is required.');
    if (!BACKENDS.includes(backend)) {
      throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, got "${backend}".`);
    }
    startScatteringWorkers(threads);

    let bytes: Uint8Array;
    try {
      bytes = await readShared(input);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputProblem(
        code === 'ENOENT' ? `the input file ${input} does not exist.` : `cannot read ${input} (${code ?? String(e)}).`,
      );
    }
    // the images stay where the file was read: the threads read them there
    const arr = readNpy(bytes, input, { view: true });
    if (!/^[<|=]f4$/.test(arr.sourceDtype)) {
      throw new InputProblem(
        `${input} holds ${dtypeName(arr.sourceDtype)} values ('${arr.sourceDtype}'); the scattering needs float32 ('<f4'). Convert it first, e.g. np.save(path, a.astype(np.float32)).`,
      );
    }
    if (arr.shape.length !== 2 && arr.shape.length !== 3) {
      throw new InputProblem(
        `${input} has shape (${arr.shape.join(', ')}); expected images (B, H, W) or a single image (H, W).`,
      );
    }
    const [B, H, W] = arr.shape.length === 3 ? arr.shape : [1, ...arr.shape];
    if (2 ** J > Math.min(H, W)) {
      throw new InputProblem(
        `J = ${J} needs images of at least 2^J = ${2 ** J} pixels per side, but they are ${H} x ${W}; use J <= ${Math.max(0, Math.floor(Math.log2(Math.min(H, W))))}.`,
      );
    }
    const maxOrder = order as 1 | 2;
    const K = channelCount(J, L, maxOrder);
    const h = outputSize(H, J),
      w = outputSize(W, J);
    const shape = arr.shape.length === 3 ? [B, K, h, w] : [K, h, w];
    // The threads write the coefficients straight into the output file's bytes, behind its header.
    const header = npyHeader('<f4', shape);
    const file = new Uint8Array(new SharedArrayBuffer(header.length + B * K * h * w * 4));
    file.set(header);
    const t0 = performance.now();
    await scatteringForwardParallel(
      arr.data as Float32Array,
      B,
      H,
      W,
      { J, L, maxOrder },
      threads,
      new Float32Array(file.buffer, header.length, B * K * h * w),
    );
    const seconds = (performance.now() - t0) / 1000;

    const tmp = `${output}.partial-${process.pid}`;
    try {
      await writeFile(tmp, file);
      await rename(tmp, output);
    } catch (e) {
      await rm(tmp, { force: true });
      throw new InputProblem(`cannot write ${output} (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
    }
    const note =
      backend === 'js' ? '' : ` (--backend ${backend} requested; the scattering has its own framework-free path)`;
    io.out(
      `Scattered ${B} image${B === 1 ? '' : 's'} of ${H} x ${W} (J=${J}, L=${L}, max order ${maxOrder}) into ` +
        `(${shape.join(', ')}) in ${output}: ${seconds.toFixed(2)} s, ${(B / seconds).toFixed(0)} images/s on js${note}.`,
    );
    return 0;
  } catch (e) {
    if (e instanceof InputProblem || e instanceof DataFormatError) {
      const text = /[.!?]$/.test(e.message) ? e.message : `${e.message}.`;
      io.err(`wavegraph scatter: ${text} Nothing was written.`);
      return 1;
    }
    if (e instanceof UsageError) {
      io.err(`wavegraph scatter: ${e.message} Nothing was written. Run "wavegraph scatter --help" for the options.`);
      return 1;
    }
    throw e;
  }
}
