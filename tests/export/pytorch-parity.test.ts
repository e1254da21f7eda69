/**
 * Every template, and each graph under tests/export/graphs, exported to PyTorch computes
 * Wavegraph's numbers: the same class scores in inference and training mode on the same
 * images and weights, and one optimizer step gives the same loss and the same updated weights.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeWeights } from '../../src/platform/weights';
import { initBackend, tf } from '../../src/platform/tf-node';
import {
  exportableTemplates,
  exportTestGraphs,
  exported,
  images,
  relativeL2,
  templateLoss,
  torchPython,
  variables,
} from './helpers';

const python = torchPython();
const TEMPLATES = [...exportableTemplates(), ...exportTestGraphs()];
const B = 6;

describe.skipIf(!python)('PyTorch export matches Wavegraph', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  for (const name of TEMPLATES) {
    it(`${name}: forward (both modes), loss and one ${'optimizer'} step`, async () => {
      const e = await exported(name);
      const [H, W, C] = e.analysis.shapes.outputs.get(e.analysis.validation.inputNode!)!.out.shape;
      const { x, labels } = images(B, H, W, C);
      writeFileSync(join(e.dir, 'images.bin'), x);
      writeFileSync(join(e.dir, 'labels.bin'), labels);
      writeFileSync(join(e.dir, 'shape.json'), JSON.stringify([B, H, W, C]));
      execFileSync(
        python!,
        ['tests/export/parity.py', e.dir, e.dir, String(e.settings.learningRate), e.settings.optimizer],
        { stdio: 'pipe' },
      );
      const py = JSON.parse(readFileSync(join(e.dir, 'result.json'), 'utf8'));

      const xt = tf.tensor4d(x, [B, H, W, C]);
      const inference = tf.tidy(() => e.model.forward(xt, { training: false }).logits.dataSync());
      // Adam's first step is lr·g/(|g| + 1e-7): where the gradient is float32 round-off (a bias
      // that a following zero-mean wavelet cancels, say) the step is ±lr by the sign of that
      // round-off on either side, so those elements are compared only for SGD.
      const adam = e.settings.optimizer === 'adam';
      const noiseGrad = new Map<string, Float32Array>();
      if (adam) {
        // A training-mode forward moves BatchNorm's state: keep it as it was for the real step.
        const state = e.model.variables
          .filter((v) => !v.trainable)
          .map((v) => [v.variable, v.variable.clone()] as const);
        const { grads } = tf.variableGrads(() => {
          const { logits } = e.model.forward(xt, { training: true, step: 0 });
          return templateLoss(e.model, logits, labels) as never;
        }, e.model.trainableVariables);
        for (const v of e.model.variables)
          if (grads[v.variable.name]) noiseGrad.set(v.key, grads[v.variable.name].dataSync() as Float32Array);
        tf.dispose(Object.values(grads));
        for (const [v, saved] of state) {
          v.assign(saved);
          saved.dispose();
        }
      }
      const optimizer =
        e.settings.optimizer === 'adam'
          ? tf.train.adam(e.settings.learningRate)
          : tf.train.momentum(e.settings.learningRate, 0.9);
      let training: Float32Array | undefined;
      const cost = optimizer.minimize(
        () => {
          const { logits } = e.model.forward(xt, { training: true, step: 0 });
          training = logits.dataSync() as Float32Array;
          return templateLoss(e.model, logits, labels) as never;
        },
        true,
        e.model.trainableVariables,
      )!;
      const loss = cost.dataSync()[0];
      const tol = e.analysis.validation.order.some((id) =>
        /Scattering|Wavelet|LowPass/.test(e.analysis.validation.nodes.get(id)!.def.type),
      )
        ? 1e-4
        : 1e-5;
      expect(relativeL2(py.inference, inference)).toBeLessThanOrEqual(tol);
      expect(relativeL2(py.training, training!)).toBeLessThanOrEqual(tol);
      expect(Math.abs(py.loss - loss)).toBeLessThanOrEqual(1e-4);

      const after = await variables(e.model);
      const theirs = new Map(
        decodeWeights(
          readFileSync(join(e.dir, 'after', 'weights.json'), 'utf8'),
          new Uint8Array(readFileSync(join(e.dir, 'after', 'weights.bin'))),
        ).map((a) => [a.key, a]),
      );
      expect([...theirs.keys()].sort()).toEqual(after.map((a) => a.key).sort());
      for (const a of after) {
        const t = theirs.get(a.key)!;
        expect(t.shape, a.key).toEqual(a.shape);
        let worst = 0;
        const g = noiseGrad.get(a.key);
        for (let i = 0; i < a.data.length; i++)
          if (!g || Math.abs(g[i]) > 1e-6) worst = Math.max(worst, Math.abs(a.data[i] - t.data[i]));
        if (process.env.WG_DEBUG) {
          let bad = 0;
          for (let i = 0; i < a.data.length; i++) if (Math.abs(a.data[i] - t.data[i]) > 1e-4) bad++;
          console.log(a.key, bad, a.data.length);
        }
        expect(worst, `${a.key} after one step`).toBeLessThanOrEqual(1e-4);
      }
      xt.dispose();
      cost.dispose();
      optimizer.dispose();
      e.model.dispose();
    }, 120_000);
  }
});

describe.skipIf(!python)('model.py on a torch whose oneDNN convolution is wrong', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  // Debian's python3-torch 2.6 convolves wrongly through oneDNN when the input channels are not a
  // multiple of 16 (scattering-cnn's 81); here float32 convolutions are made wrong while oneDNN is on.
  it('turns oneDNN off, with a warning, so its convolutions are right', async () => {
    const e = await exported('cnn');
    const out = execFileSync(
      python!,
      [
        '-c',
        [
          'import sys, warnings, torch',
          'import torch.nn.functional as F',
          'real = F.conv2d',
          'def wrong(x, w, *a, **k):',
          '    y = real(x, w, *a, **k)',
          '    return y + 1 if x.dtype == torch.float32 and torch.backends.mkldnn.enabled else y',
          'F.conv2d = wrong',
          `sys.path.insert(0, ${JSON.stringify(e.dir)}); import model`,
          'with warnings.catch_warnings(record=True) as caught:',
          "    warnings.simplefilter('always')",
          '    model.Model.from_wavegraph()',
          'print(torch.backends.mkldnn.enabled, [str(w.message) for w in caught])',
        ].join('\n'),
      ],
      { encoding: 'utf8' },
    );
    expect(out).toMatch(/^False \[.*oneDNN.*\]/);
    e.model.dispose();
  }, 60_000);
});
