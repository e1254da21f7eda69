import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, loadDocument, lower, type GraphDocument } from '../../compiler';
import { compileStatistics, synthesize } from '../../src/synthesis/engine';
import { flatSpectrumNoise, gaussianSamples } from '../../src/synthesis/gaussian';
import { fft2 } from '../../src/synthesis/fft2';
import { octaveSpectrum } from '../../src/synthesis/validation';
import { npyTarget } from '../../src/synthesis/targets';
import { writeNpy } from '../../src/data/npy';
import { seededRandom } from '../../nodes/math/random';
import { build, tf, useBackend } from '../wavelets/helpers';
import { WaveletEnergy } from '../../nodes/statistics/wavelet-energy';
import type { AnyNodeDefinition } from '../../nodes/types';

beforeAll(() => useBackend('cpu'));

const TEMPLATES = ['synthesis-gaussian', 'synthesis-phase-harmonics', 'synthesis-scattering-spectra'];
const load = (name: string): GraphDocument => loadDocument(readFileSync(`templates/${name}.json`, 'utf8')).doc!;

function noise(n: number, seed: number): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => r.normal());
}

/** Periodic shift of an n x n field by (dy, dx). */
function roll(x: Float32Array, n: number, dy: number, dx: number): Float32Array {
  const out = new Float32Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) out[((r + dy) % n) * n + ((c + dx) % n)] = x[r * n + c];
  return out;
}

describe('synthesis templates: statistics models', () => {
  for (const name of TEMPLATES) {
    it(`${name} validates as a statistics model and refuses to train`, () => {
      const doc = load(name);
      expect(doc.description!.length).toBeGreaterThan(40);
      const a = analyze(doc);
      expect(a.diagnostics).toEqual([]);
      expect(a.validation.momentsNode).toBe('moments');
      expect(a.shapes.outputs.get('moments')!.out.kind).toBe('moments');
      const trained = lower(a.validation, a.shapes, { tf, seed: 1 });
      expect(trained.model).toBeUndefined();
      expect(trained.diagnostics[0].code).toBe('statistics-model');
      expect(trained.diagnostics[0].fix).toMatch(/Synthesis/);
    });
  }

  it('a classifier template is still trained, not synthesized', () => {
    const a = analyze(loadDocument(readFileSync('templates/mlp.json', 'utf8')).doc!);
    expect(a.validation.momentsNode).toBeUndefined();
    const c = compileStatistics(tf, loadDocument(readFileSync('templates/mlp.json', 'utf8')).doc!, 28);
    expect('diagnostics' in c && c.diagnostics[0].message).toMatch(/not a statistics model/);
  });

  it('a Moments node fed with a map, or a flattened map, says it needs moments', () => {
    for (const source of ['input', 'flat']) {
      const doc = load('synthesis-gaussian');
      doc.nodes.push({ id: 'flat', type: 'Flatten', position: { x: 0, y: 300 }, params: {} });
      doc.edges.push({ id: 'zz-flat', source: 'input', sourcePort: 'out', target: 'flat', targetPort: 'in' });
      doc.edges.push({ id: 'zz-bad', source, sourcePort: 'out', target: 'moments', targetPort: 'in' });
      const a = analyze(doc);
      const d = a.diagnostics.find((x) => x.nodeId === 'moments' && x.severity === 'error');
      expect(d?.code).toBe('port-kind-mismatch');
      expect(d?.message).toMatch(/takes moments, but .* gives (map|vector)/);
      expect(d?.fix).toMatch(/Statistics node \(Spatial mean/);
    }
  });

  for (const name of ['synthesis-phase-harmonics', 'synthesis-scattering-spectra']) {
    it(`${name}: the statistics of a periodically shifted field are unchanged`, () => {
      const n = 32;
      const c = compileStatistics(tf, load(name), n);
      if ('diagnostics' in c) throw new Error(c.diagnostics[0].message);
      const x = noise(n * n, 3);
      const y = roll(x, n, 5, 11);
      const [a, b] = tf.tidy(() => {
        const phi = c.model.forward(tf.tensor4d([...x, ...y], [2, n, n, 1]), { training: false }).logits;
        return [phi.slice([0, 0], [1, -1]).dataSync(), phi.slice([1, 0], [1, -1]).dataSync()];
      });
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]));
        scale = Math.max(scale, Math.abs(a[i]));
      }
      expect(worst).toBeLessThan(1e-4 * Math.max(1, scale));
      // and a different field has different statistics (the check can fail)
      const z = tf.tidy(() =>
        c.model.forward(tf.tensor4d(noise(n * n, 4), [1, n, n, 1]), { training: false }).logits.dataSync(),
      );
      c.dispose();
      expect(Math.max(...Array.from(z, (v, i) => Math.abs(v - a[i])))).toBeGreaterThan(1e-2);
    });
  }
});

describe('the coarsest scale', () => {
  it('WaveletEnergy of a real map (a low-pass output) is the log of its variance per channel', () => {
    const n = build(WaveletEnergy as unknown as AnyNodeDefinition, {}, { kind: 'map', shape: [4, 4, 2] });
    expect(n.out).toEqual({ kind: 'moments', shape: [2] });
    const x = Float32Array.from({ length: 32 }, (_, i) => (i % 2 ? 2 : 0.5) * (1 + (i % 5)));
    const got = tf.tidy(() => n.apply(tf.tensor4d(x, [1, 4, 4, 2])).dataSync());
    for (let c = 0; c < 2; c++) {
      let m = 0;
      for (let i = c; i < 32; i += 2) m += x[i] / 16;
      let e = 0;
      for (let i = c; i < 32; i += 2) e += (x[i] - m) ** 2 / 16;
      expect(got[c]).toBeCloseTo(Math.log(e), 4);
    }
  });

  for (const name of TEMPLATES) {
    it(`${name} matches the energy below its coarsest wavelet (two low-pass residuals)`, () => {
      const a = analyze(load(name));
      const feeds = (a.validation.nodes.get('moments')!.inputs.in ?? []).map((e) => e.source);
      expect(feeds).toContain('coarse');
      expect(a.shapes.outputs.get('coarse')!.out.shape).toEqual([2]);
      const J = a.validation.nodes.get('wavelets')!.params.J as number;
      const sources = a.validation.nodes.get('coarse-scales')!.inputs.in!.map((e) => e.source);
      expect(sources.map((id) => a.validation.nodes.get(id)!.params)).toEqual([
        expect.objectContaining({ J, padding: 'circular', subsample: false, unpad: false }),
        expect.objectContaining({ J: J + 1, padding: 'circular', subsample: false, unpad: false }),
      ]);
    });
  }
});

describe('Gaussian model', () => {
  it("has exactly the target's power spectrum and mean, with new phases", () => {
    const n = 32;
    const target = Float32Array.from(noise(n * n, 9), (v, i) => v + Math.sin(i / 7) + 0.3);
    const g = gaussianSamples(target, n, 2, 1);
    for (let s = 0; s < 2; s++) {
      const tr = Float64Array.from(target),
        ti = new Float64Array(n * n);
      const gr = Float64Array.from(g.subarray(s * n * n, (s + 1) * n * n)),
        gi = new Float64Array(n * n);
      fft2(tr, ti, n, n);
      fft2(gr, gi, n, n);
      for (let i = 0; i < n * n; i++) expect(Math.hypot(gr[i], gi[i])).toBeCloseTo(Math.hypot(tr[i], ti[i]), 2);
    }
    const ratio = octaveSpectrum(g, n).map((v, j) => v / octaveSpectrum(target, n)[j]);
    for (const r of ratio) expect(Math.abs(r - 1)).toBeLessThan(1e-4);
    let diff = 0;
    for (let i = 0; i < n * n; i++) diff += Math.abs(g[i] - target[i]);
    expect(diff / (n * n)).toBeGreaterThan(0.3); // not the target itself
    expect(g.subarray(0, n * n)).not.toEqual(g.subarray(n * n));
  });
});

describe('the start of a synthesis', () => {
  it('is white noise with an exactly flat power spectrum, zero mean and seeded random phases', () => {
    const n = 16;
    const x = flatSpectrumNoise(n, 2, 5);
    for (let s = 0; s < 2; s++) {
      const re = Float64Array.from(x.subarray(s * n * n, (s + 1) * n * n));
      const im = new Float64Array(n * n);
      fft2(re, im, n, n);
      expect(Math.hypot(re[0], im[0])).toBeLessThan(1e-4);
      for (let i = 1; i < n * n; i++) expect(Math.hypot(re[i], im[i])).toBeCloseTo(n, 3);
    }
    expect(x.subarray(0, n * n)).not.toEqual(x.subarray(n * n));
    expect(flatSpectrumNoise(n, 1, 5)).toEqual(x.subarray(0, n * n));
    expect(flatSpectrumNoise(n, 1, 6)).not.toEqual(x.subarray(0, n * n));
  });
});

describe('bad input', () => {
  it('a target smaller than 2^J says so', async () => {
    const r = await synthesize(tf, load('synthesis-phase-harmonics'), noise(16 * 16, 1), 16, {
      samples: 1,
      steps: 1,
      seed: 0,
    });
    expect(r.result).toBeUndefined();
    expect(r.diagnostics[0].code).toBe('shape-mismatch');
    expect(r.diagnostics[0].message).toMatch(/16 x 16 input must be a multiple of 2\^\(J - resolution\) = 32/);
  });

  it('a non-float .npy is refused with the dtype and the fix', () => {
    const bytes = writeNpy(new Uint8Array(64), [8, 8]);
    expect(() => npyTarget(bytes, 'spins.npy')).toThrow(
      /spins\.npy: holds \|u1 values, but a synthesis target must be a float field.*astype\(np\.float32\)/,
    );
    expect(() => npyTarget(writeNpy(new Float32Array(24), [4, 6]), 'wide.npy')).toThrow(/one square field/);
  });

  it('a constant target is refused', async () => {
    const r = await synthesize(tf, load('synthesis-gaussian'), new Float32Array(32 * 32).fill(1), 32, {
      samples: 1,
      steps: 1,
      seed: 0,
    });
    expect(r.diagnostics[0].code).toBe('bad-target');
  });

  it('a diverging optimization stops with a clear message', async () => {
    const r = await synthesize(tf, load('synthesis-gaussian'), noise(32 * 32, 2), 32, {
      samples: 1,
      steps: 5,
      seed: 0,
      optimizer: 'adam',
      learningRate: 1e30,
    });
    expect(r.result).toBeUndefined();
    expect(r.diagnostics[0].code).toBe('synthesis-diverged');
    expect(r.diagnostics[0].message).toMatch(/diverged at step \d/);
    expect(r.diagnostics[0].fix).toMatch(/learning rate/);
  });
});
