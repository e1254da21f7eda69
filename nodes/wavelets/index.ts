import type { AnyNodeDefinition } from '../types';
import { WaveletConv } from './wavelet-conv';
import { Modulus } from './modulus';
import { Rectifier } from './rectifier';
import { LowPass } from './low-pass';
import { ReflectPad } from './reflect-pad';
import { ScatteringMerge } from './scattering-merge';
import { Scattering2D } from './scattering2d';

export { expandScattering2D } from './expand-scattering';

/** The wavelet folder's declarations (the registry lists them with every other type). */
export const waveletNodes: AnyNodeDefinition[] = [
  Scattering2D,
  WaveletConv,
  Modulus,
  Rectifier,
  LowPass,
  ReflectPad,
  ScatteringMerge,
];
