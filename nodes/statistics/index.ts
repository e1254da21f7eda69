import type { AnyNodeDefinition } from '../types';
import { PhaseHarmonic } from './phase-harmonic';
import { SpatialMean } from './spatial-mean';
import { WaveletEnergy } from './wavelet-energy';
import { CrossCovariance } from './cross-covariance';
import { Moments } from './moments';

export const statisticsNodes = [PhaseHarmonic, SpatialMean, WaveletEnergy, CrossCovariance, Moments] as unknown as AnyNodeDefinition[];
