/** Scattering2D outside Wavegraph: its expansion, written part by part (the parts' own writers). */
import type { OnnxWriter, PytorchWriter } from '../types';
import { expandScattering2D, scatteringParts } from './expand-scattering';

interface P {
  J: number;
  L: number;
  maxOrder: number;
}

export const scattering2dPytorch: PytorchWriter<P> = {
  className: 'Scattering2D',
  source: '',
  args: () => ({}),
  fragment: (p) => ({ expansion: expandScattering2D(p), parts: scatteringParts }),
};

/** The ONNX walker expands fragments itself; this writer is never called. */
export const scattering2dOnnx: OnnxWriter<P> = {
  write() {
    throw new Error('Scattering2D is written through its expansion');
  },
};
