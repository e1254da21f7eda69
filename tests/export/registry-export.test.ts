/** Every node type can leave Wavegraph: it declares a PyTorch writer and an ONNX writer. */
import { describe, expect, it } from 'vitest';
import { allNodeDefinitions } from '../../nodes/registry';

describe('every node type is exportable', () => {
  for (const def of allNodeDefinitions()) {
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
});
