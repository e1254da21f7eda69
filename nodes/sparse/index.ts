import type { AnyNodeDefinition } from '../types';
import { LISTA } from './lista';
import { ISTC } from './istc';
import { RandomFeature } from './random-feature';

export const sparseNodes = [LISTA, ISTC, RandomFeature] as unknown as AnyNodeDefinition[];
