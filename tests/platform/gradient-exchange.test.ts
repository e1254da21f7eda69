import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { abortExchange, ExchangeAborted, GradientExchange, makeExchange } from '../../src/platform/gradient-exchange';

describe('the gradient exchange of data-parallel training', () => {
  it('averages the slots with their weights, round after round, alternating slot sets', () => {
    const b = makeExchange(1, 3);
    const x = new GradientExchange(b, 0);
    const out = new Float32Array(3);
    x.slot().set([2, 4, 6]);
    x.average([1], out);
    expect(Array.from(out)).toEqual([2, 4, 6]);
    const second = x.slot();
    second.set([1, 1, 1]);
    x.average([0.5], out);
    expect(Array.from(out)).toEqual([0.5, 0.5, 0.5]);
    // the third round writes the first round's set again
    expect(x.slot()[0]).toBe(2);
  });

  it('waits for the other worker, then both compute the same average', async () => {
    const b = makeExchange(2, 2);
    // the other worker, a real thread that writes its gradient after a pause
    const other = new Worker(
      `const { workerData } = require('node:worker_threads');
       const slots = new Float32Array(workerData.slots, 2 * 4, 2);
       const control = new Int32Array(workerData.control);
       setTimeout(() => {
         slots.set([10, 20]);
         Atomics.add(control, 0, 1);
         Atomics.notify(control, 0);
       }, 100);`,
      { eval: true, workerData: b },
    );
    const x = new GradientExchange(b, 0);
    x.slot().set([2, 4]);
    const out = new Float32Array(2);
    x.average([0.25, 0.75], out);
    expect(Array.from(out)).toEqual([0.25 * 2 + 0.75 * 10, 0.25 * 4 + 0.75 * 20]);
    await other.terminate();
  });

  it('gives up with a message when the run is stopped, instead of waiting for a worker that is gone', () => {
    const b = makeExchange(2, 4);
    const x = new GradientExchange(b, 0);
    abortExchange(b);
    expect(() => x.average([0.5, 0.5], new Float32Array(4))).toThrow(ExchangeAborted);
  });
});
