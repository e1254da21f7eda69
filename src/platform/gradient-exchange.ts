/**
 * Shared memory through which the workers of one data-parallel run average their
 * gradients (train-parallel-node.ts) without going through the main thread.
 *
 * Each worker writes its share's gradient into its own slot and waits until every
 * worker has written; then each computes the same weighted average, in the same order
 * (so the copies stay bit-for-bit equal), and applies it. The main thread only hands
 * out the shares of each batch and collects the losses: it is no longer on the path
 * between one step and the next, and no gradient is copied through messages.
 *
 * Slots come in two sets used by alternate rounds: a worker can only be one round
 * ahead of another (the next batch is handed out once every worker has reported this
 * one, which each does after it has read the previous round's slots), so the set it
 * writes is never the one another is still reading.
 */

/** Index in the control array: the number of gradients written so far, over all rounds. */
const ARRIVED = 0;
/** Index in the control array: non-zero once the run is being stopped. */
const ABORT = 1;
/** How long a waiting worker sleeps before it looks at the stop flag again. */
const POLL_MS = 200;

export interface ExchangeBuffers {
  slots: SharedArrayBuffer;
  control: SharedArrayBuffer;
  workers: number;
  /** Floats in one gradient (all trainable variables, flattened). */
  size: number;
}

export function makeExchange(workers: number, size: number): ExchangeBuffers {
  return {
    slots: new SharedArrayBuffer(2 * workers * size * Float32Array.BYTES_PER_ELEMENT),
    control: new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT),
    workers,
    size,
  };
}

/** Wake every waiting worker and make it give up (the run failed or is being closed). */
export function abortExchange(b: ExchangeBuffers): void {
  const control = new Int32Array(b.control);
  Atomics.store(control, ABORT, 1);
  Atomics.notify(control, ARRIVED);
}

export class ExchangeAborted extends Error {
  constructor() {
    super('the gradient exchange was stopped (another worker failed, or the run was closed)');
  }
}

/** One worker's side of the exchange. */
export class GradientExchange {
  private readonly control: Int32Array;
  private round = 0;

  constructor(
    private readonly b: ExchangeBuffers,
    private readonly index: number,
  ) {
    this.control = new Int32Array(b.control);
  }

  private slotOf(worker: number, round: number): Float32Array {
    const { size, workers } = this.b;
    return new Float32Array(this.b.slots, ((round % 2) * workers + worker) * size * 4, size);
  }

  /** Where this worker writes its gradient for the current round. */
  slot(): Float32Array {
    return this.slotOf(this.index, this.round);
  }

  /**
   * Mark this worker's gradient written, wait for the others', and write into `out` the
   * average weighted by `shares` (one per worker, summing to 1).
   */
  average(shares: readonly number[], out: Float32Array): void {
    const { workers } = this.b;
    const target = workers * (this.round + 1);
    if (Atomics.add(this.control, ARRIVED, 1) + 1 === target) Atomics.notify(this.control, ARRIVED);
    for (;;) {
      if (Atomics.load(this.control, ABORT)) throw new ExchangeAborted();
      const arrived = Atomics.load(this.control, ARRIVED);
      if (arrived >= target) break;
      Atomics.wait(this.control, ARRIVED, arrived, POLL_MS);
    }
    out.fill(0);
    for (let w = 0; w < workers; w++) {
      const share = shares[w];
      if (!share) continue;
      const g = this.slotOf(w, this.round);
      for (let j = 0; j < out.length; j++) out[j] += share * g[j];
    }
    this.round++;
  }
}
