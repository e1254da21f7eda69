/** Worker-thread side of scatteringForwardParallel: claims chunks of a shared batch. */
import { parentPort } from 'node:worker_threads';
import { scatterSharedChunks, type SharedScatterJob } from '../../nodes/math/scattering-fast';

parentPort?.on('message', (job: SharedScatterJob) => {
  try {
    scatterSharedChunks(job);
    parentPort!.postMessage({ id: job.id, done: true });
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) });
  }
});
