/** Worker-thread side of scatteringForwardParallel: scatters the slices it is sent. */
import { parentPort } from 'node:worker_threads';
import { scatteringForward, type ScatteringOptions } from './scattering-fast';

interface Job {
  id: number;
  images: Float32Array;
  B: number;
  H: number;
  W: number;
  o: ScatteringOptions;
}

parentPort?.on('message', (job: Job) => {
  try {
    const out = scatteringForward(job.images, job.B, job.H, job.W, job.o);
    parentPort!.postMessage({ id: job.id, out }, [out.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) });
  }
});
