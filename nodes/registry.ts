/**
 * Every node type, by its stable type id. Adding a node type means adding its file
 * and one line in its category's index; nothing else changes.
 */
import type { AnyNodeDefinition } from './types';
import { standardNodes } from './standard';
import { waveletNodes } from './wavelets';
import { sparseNodes } from './sparse';
import { statisticsNodes } from './statistics';

const all: AnyNodeDefinition[] = [...standardNodes, ...waveletNodes, ...sparseNodes, ...statisticsNodes];

export const registry: ReadonlyMap<string, AnyNodeDefinition> = new Map(all.map((d) => [d.type, d]));

export function getNodeDefinition(type: string): AnyNodeDefinition | undefined {
  return registry.get(type);
}

export function allNodeDefinitions(): AnyNodeDefinition[] {
  return [...registry.values()];
}
