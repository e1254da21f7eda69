/**
 * The editor's edits: document/edit.ts's operations, told about node types by their
 * declarations (a new node's version and default params, which ports take several edges).
 */
import * as edit from '../../../document/edit';
import type { GraphDocument } from '../../../document/graph';
import { defaultParams } from '../../../nodes/params';
import { getNodeDefinition, registryPortArity } from '../../../nodes/registry';

export {
  copySelection,
  freshNodeId,
  moveNodes,
  removeElements,
  setParam,
  type Clip,
  type Endpoint,
} from '../../../document/edit';

const nodeTypes: edit.NodeTypes = {
  create(type) {
    const def = getNodeDefinition(type);
    return def && { typeVersion: def.version, params: defaultParams(def.params) };
  },
  arity: registryPortArity,
};

export function addNode(draft: GraphDocument, type: string, position: { x: number; y: number }): string {
  return edit.addNode(draft, type, position, nodeTypes);
}

/** Adds the edge; an edge already in a single-input port is replaced (as dragging a new wire does). */
export function connect(draft: GraphDocument, from: edit.Endpoint, to: edit.Endpoint): string {
  return edit.connect(draft, from, to, nodeTypes);
}

/** Inserts a clip with fresh ids, offset by `offset`; returns the new node ids. */
export function pasteClip(draft: GraphDocument, clip: edit.Clip, offset: { x: number; y: number }): string[] {
  return edit.pasteClip(draft, clip, offset, nodeTypes);
}
