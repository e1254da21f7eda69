/**
 * How much memory training a graph takes, estimated from its shapes before anything
 * is allocated, and the budget above which Wavegraph refuses to start. A graph that
 * validates but cannot fit (an Input of 1024x1024x16 into a Dense of 65536 units is a
 * trillion weights) would otherwise exhaust the training worker, or the whole tab.
 */
import type { ParamCount, TensorSpec } from '../nodes/types';
import { diag, type Diagnostic } from '../document/diagnostics';

/**
 * 2 GiB. A browser tab rarely gets more than about 4 GiB for tensors: the WASM
 * backend's 32-bit heap stops at 4 GiB, and WebGL or WebGPU on a laptop share the
 * system's memory with everything else. Half of that leaves room for the dataset,
 * TensorFlow.js's temporaries and the page itself.
 */
export const MEMORY_BUDGET_BYTES = 2 * 1024 ** 3;

const FLOAT = 4;

export interface MemoryEstimate {
  /** Every weight, trainable and fixed, as float32. */
  weightBytes: number;
  /** What training adds per trainable weight: its gradient and Adam's two moments. */
  optimizerBytes: number;
  /** Every node's outputs for one sample. */
  activationBytesPerSample: number;
  batchSize: number;
  /** weights + optimizer state + activations and their gradients for a batch. */
  totalBytes: number;
  budgetBytes: number;
}

const size = (spec: TensorSpec) => spec.shape.reduce((a, b) => a * b, 1);

export function estimateMemory(
  outputs: ReadonlyMap<string, Record<string, TensorSpec>>,
  total: ParamCount,
  batchSize: number,
): MemoryEstimate {
  let perSample = 0;
  for (const ports of outputs.values()) for (const spec of Object.values(ports)) perSample += size(spec) * FLOAT;
  const weightBytes = (total.trainable + total.fixed) * FLOAT;
  const optimizerBytes = total.trainable * FLOAT * 3;
  // Training keeps each activation for the backward pass and makes a gradient of the same size.
  const totalBytes = weightBytes + optimizerBytes + 2 * batchSize * perSample;
  return {
    weightBytes,
    optimizerBytes,
    activationBytesPerSample: perSample,
    batchSize,
    totalBytes,
    budgetBytes: MEMORY_BUDGET_BYTES,
  };
}

/**
 * The refusal, pinned on the node that takes the most memory, or nothing when the
 * graph fits. A non-finite estimate (shapes whose product overflows) is over budget.
 */
export function memoryDiagnostic(
  m: MemoryEstimate,
  outputs: ReadonlyMap<string, Record<string, TensorSpec>>,
  paramCounts: ReadonlyMap<string, ParamCount>,
  title: (nodeId: string) => string | undefined,
): Diagnostic | undefined {
  if (m.totalBytes <= m.budgetBytes) return undefined;
  let worst: string | undefined;
  let worstBytes = -1;
  for (const [id, ports] of outputs) {
    const c = paramCounts.get(id);
    let bytes = c ? c.trainable * FLOAT * 4 + c.fixed * FLOAT : 0;
    for (const spec of Object.values(ports)) bytes += 2 * m.batchSize * size(spec) * FLOAT;
    if (!(bytes <= worstBytes)) {
      worst = id;
      worstBytes = bytes;
    }
  }
  const parts = `weights and optimizer state ${formatBytes(m.weightBytes + m.optimizerBytes)}, activations ${formatBytes(m.activationBytesPerSample)} per sample`;
  return diag(
    'memory-budget',
    `Training this graph at batch size ${m.batchSize} needs about ${formatBytes(m.totalBytes)} (${parts}), more than the ${formatBytes(m.budgetBytes)} a browser tab can be relied on for.` +
      (worst ? ` This node takes the most (${formatBytes(worstBytes)}).` : ''),
    {
      ...(worst ? { nodeId: worst, nodeTitle: title(worst) } : {}),
      fix: 'Make the input smaller (or downsample it early with pooling or a strided layer), use fewer units or channels, or lower the batch size.',
    },
  );
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return 'more than can be counted';
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(n)} bytes` : `${n.toFixed(n >= 100 ? 0 : 1)} ${units[i]}`;
}
