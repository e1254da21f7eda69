/**
 * Every node type that can be part of a classifier can leave Wavegraph: it declares a
 * PyTorch writer and an ONNX writer. Node types that only make sense in a statistics
 * model (their outputs are vectors of moments) are exempt, and export refuses such a
 * graph with a message instead.
 */
import { describe, expect, it } from 'vitest';
import { allNodeDefinitions } from '../../nodes/registry';
import { exportRefusal } from '../../compiler/export/pytorch';
import { template } from './helpers';

const statisticsOnly = (def: ReturnType<typeof allNodeDefinitions>[number]) =>
  def.role === 'moments' || (def.outputs.length > 0 && def.outputs.every((o) => o.kinds.every((k) => k === 'moments')));

describe('every node type is exportable', () => {
  for (const def of allNodeDefinitions().filter((d) => !statisticsOnly(d))) {
    it(`${def.type} has PyTorch and ONNX writers`, () => {
      expect(def.pytorch, `${def.type} has no pytorch writer`).toBeDefined();
      expect(def.onnx, `${def.type} has no onnx writer`).toBeDefined();
      if (!def.pytorch!.fragment) {
        expect(def.pytorch!.source).toMatch(new RegExp(`^class ${def.pytorch!.className}\\(nn\\.Module\\):`));
        expect(typeof def.pytorch!.args).toBe('function');
      }
      expect(typeof def.onnx!.write).toBe('function');
    });
  }

  it('exempts only the statistics node types, and refuses a statistics model with a message', () => {
    expect(
      allNodeDefinitions()
        .filter(statisticsOnly)
        .map((d) => d.type)
        .sort(),
    ).toEqual(['CrossCovariance', 'Moments', 'SpatialMean', 'WaveletEnergy']);
    const refused = exportRefusal(template('synthesis-gaussian').analysis);
    expect(refused?.code).toBe('statistics-model');
    expect(refused?.message).toMatch(/statistics model/);
    expect(exportRefusal(template('cnn').analysis)).toBeUndefined();
  });
});
