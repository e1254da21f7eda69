/** One helper of the browser's scattering pool (scatter-pool.ts): scatters the images it is sent. */
import { scatteringForward, type ScatteringOptions } from '../../nodes/math/scattering-fast';

interface Job {
  id: number;
  images: Float32Array;
  B: number;
  H: number;
  W: number;
  o: ScatteringOptions;
}

const scope = self as unknown as {
  postMessage(msg: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<Job>) => void) | null;
};

scope.onmessage = (e) => {
  const { id, images, B, H, W, o } = e.data;
  try {
    const out = scatteringForward(images, B, H, W, o);
    scope.postMessage({ id, out }, [out.buffer]);
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
