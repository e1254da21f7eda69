/**
 * Scattering2D without TensorFlow.js, for frozen front ends: the fast framework-free
 * transform, converted between the graph's layout ([B, H, W, C] in, [B, h, w, C·K]
 * out, input channel major) and the transform's (B, H, W) -> (B, K, h, w).
 */
import { scatteringForward, type ScatteringOptions } from '../math/scattering-fast';

export type ScatterFn = (
  images: Float32Array,
  B: number,
  H: number,
  W: number,
  o: ScatteringOptions,
) => Float32Array | Promise<Float32Array>;

export async function scatterChannelLast(
  params: { J: number; L: number; maxOrder: number },
  input: { data: Float32Array; shape: number[] },
  scatter: ScatterFn = scatteringForward,
): Promise<Float32Array> {
  const [B, H, W, C] = input.shape;
  const o: ScatteringOptions = { J: params.J, L: params.L, maxOrder: params.maxOrder as 1 | 2 };
  let out: Float32Array | undefined;
  for (let c = 0; c < C; c++) {
    const plane = new Float32Array(B * H * W);
    for (let i = 0, n = B * H * W; i < n; i++) plane[i] = input.data[i * C + c];
    const s = await scatter(plane, B, H, W, o);
    const hw = s.length / B;
    const K = countChannels(params);
    const h2w2 = hw / K;
    out ??= new Float32Array(B * hw * C);
    // (B, K, h, w) -> [B, h, w, C*K] with channel c*K + k
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < K; k++) {
        const src = (b * K + k) * h2w2;
        for (let p = 0; p < h2w2; p++) out[(b * h2w2 + p) * C * K + c * K + k] = s[src + p];
      }
    }
  }
  return out!;
}

function countChannels(p: { J: number; L: number; maxOrder: number }): number {
  return 1 + p.J * p.L + (p.maxOrder >= 2 ? (p.L * p.L * p.J * (p.J - 1)) / 2 : 0);
}
