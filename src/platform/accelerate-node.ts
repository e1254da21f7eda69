/** Node-only faster versions of node types' precompute, for frozen front ends. */
import type { Precompute } from '../../compiler/feature-bank';
import { scatteringForwardParallel } from './scattering-fast-node';
import { scatterChannelLast } from '../../nodes/wavelets/scattering-precompute';

export const nodeAccelerators: Record<string, Precompute> = {
  // The transform split across all cores with worker threads.
  Scattering2D: (params, input) =>
    scatterChannelLast(params as { J: number; L: number; maxOrder: number }, input, (x, B, H, W, o) =>
      scatteringForwardParallel(x, B, H, W, o),
    ),
};
