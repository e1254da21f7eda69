import type { AnyNodeDefinition } from '../types';

export const sparseNodes: AnyNodeDefinition[] = [];
