/** Every template (and the export test graphs) as an ONNX model, run by onnxruntime: Wavegraph's inference scores within 1e-4. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { onnxModel } from '../../src/export/onnx';
import { initBackend, tf } from '../../src/platform/tf-node';
import { exportableTemplates, exportTestGraphs, exported, images, relativeL2 } from './helpers';

const TEMPLATES = [...exportableTemplates(), ...exportTestGraphs()];

describe('ONNX export matches Wavegraph', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  for (const name of TEMPLATES) {
    it(`${name}: onnxruntime gives Wavegraph's scores`, async () => {
      const e = await exported(name);
      const bytes = onnxModel(e.doc, e.analysis, e.weights);
      const session = await ort.InferenceSession.create(bytes);
      const [H, W, C] = e.analysis.shapes.outputs.get(e.analysis.validation.inputNode!)!.out.shape;
      const B = 5;
      const { x } = images(B, H, W, C);
      const nchw = new Float32Array(x.length);
      for (let b = 0; b < B; b++)
        for (let i = 0; i < H * W; i++)
          for (let c = 0; c < C; c++) nchw[(b * C + c) * H * W + i] = x[(b * H * W + i) * C + c];
      const out = await session.run({ images: new ort.Tensor('float32', nchw, [B, C, H, W]) });
      const scores = out.scores.data as Float32Array;
      const xt = tf.tensor4d(x, [B, H, W, C]);
      const ours = tf.tidy(() => e.model.forward(xt, { training: false }).logits.dataSync());
      // One score per class, or a single score for a hinge loss: as many as Wavegraph gives.
      expect(out.scores.dims).toEqual([B, ours.length / B]);
      expect(relativeL2(scores, ours)).toBeLessThanOrEqual(1e-4);
      let worst = 0;
      for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(scores[i] - ours[i]));
      expect(worst).toBeLessThanOrEqual(1e-4 * Math.max(1, ...Array.from(ours, Math.abs)));
      xt.dispose();
      e.model.dispose();
      await session.release();
    }, 120_000);
  }
});
