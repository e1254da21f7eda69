/**
 * Every node type, by its stable type id. Adding a node type means writing its file
 * and adding it to `builtInTypes` below; everything else (palette, compiler, research
 * instruments, editor) derives from the declaration.
 *
 * Types defined outside this folder (a plug-in, a test fixture) join through
 * `registerNodeType`, which refuses an id that is already taken.
 */
import type { PortArityResolver } from '../document/edges';
import type { AnyNodeDefinition } from './types';
import { BatchNorm } from './standard/batchnorm';
import { Conv2D } from './standard/conv2d';
import { Dense } from './standard/dense';
import { Dropout } from './standard/dropout';
import { Abs, ReLU } from './standard/elementwise';
import { Flatten } from './standard/flatten';
import { Input } from './standard/input';
import { SoftmaxCrossEntropy } from './standard/loss';
import { QuadraticHinge } from './standard/hinge';
import { Add, Concat } from './standard/merge';
import { AvgPool, MaxPool } from './standard/pooling';
import { LowPass } from './wavelets/low-pass';
import { Modulus } from './wavelets/modulus';
import { Rectifier } from './wavelets/rectifier';
import { ReflectPad } from './wavelets/reflect-pad';
import { ScatteringMerge } from './wavelets/scattering-merge';
import { Scattering2D } from './wavelets/scattering2d';
import { WaveletConv } from './wavelets/wavelet-conv';
import { ISTC } from './sparse/istc';
import { LISTA } from './sparse/lista';
import { RandomFeature } from './sparse/random-feature';
import { PhaseHarmonic } from './statistics/phase-harmonic';
import { SpatialMean } from './statistics/spatial-mean';
import { WaveletEnergy } from './statistics/wavelet-energy';
import { CrossCovariance } from './statistics/cross-covariance';
import { Moments } from './statistics/moments';

/**
 * Keyed by type id: an object literal cannot name a key twice, and the contract test
 * checks that every key is its declaration's `type`.
 */
export const builtInTypes = {
  Input,
  Conv2D,
  Dense,
  ReLU,
  Abs,
  AvgPool,
  MaxPool,
  Flatten,
  BatchNorm,
  Dropout,
  Add,
  Concat,
  SoftmaxCrossEntropy,
  QuadraticHinge,
  Scattering2D,
  WaveletConv,
  Modulus,
  Rectifier,
  LowPass,
  ReflectPad,
  ScatteringMerge,
  LISTA,
  ISTC,
  RandomFeature,
  PhaseHarmonic,
  SpatialMean,
  WaveletEnergy,
  CrossCovariance,
  Moments,
} satisfies Record<string, AnyNodeDefinition>;

const registry = new Map<string, AnyNodeDefinition>(
  Object.values(builtInTypes).map((d): [string, AnyNodeDefinition] => [d.type, d]),
);

/**
 * Add a node type declared elsewhere. Throws when its id is taken: two declarations
 * under one id would make saved files mean different things in different sessions.
 */
export function registerNodeType(def: AnyNodeDefinition): void {
  if (registry.has(def.type)) throw new Error(`A node type "${def.type}" is already registered; pick another type id.`);
  registry.set(def.type, def);
}

export function getNodeDefinition(type: string): AnyNodeDefinition | undefined {
  return registry.get(type);
}

export function allNodeDefinitions(): AnyNodeDefinition[] {
  return [...registry.values()];
}

/**
 * Whether an input port takes one edge or many, as its declaration says; the edge-id
 * rule (document/edges.ts) keys edges by it. Unknown types and ports count as single:
 * one edge per input is the safe default.
 */
export const registryPortArity: PortArityResolver = (nodeType, port) => {
  const input = nodeType === undefined ? undefined : getNodeDefinition(nodeType)?.inputs.find((p) => p.name === port);
  return input?.multi ? 'multi' : 'single';
};

/** The declarations with a given behaviour, in registry order. */
export function nodeTypesWhere(test: (def: AnyNodeDefinition) => unknown): AnyNodeDefinition[] {
  return allNodeDefinitions().filter((d) => test(d));
}
