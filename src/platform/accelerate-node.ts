/** Node-only faster transforms for frozen front ends: the scattering split across all cores with worker threads. */
import type { PrecomputeKernels } from '../../nodes/types';
import { scatteringForwardParallel } from './scattering-fast-node';

export const nodeKernels: PrecomputeKernels = {
  scattering: (x, B, H, W, o) => scatteringForwardParallel(x, B, H, W, o),
};
