import type { AnyNodeDefinition } from '../types';

export const waveletNodes: AnyNodeDefinition[] = [];
