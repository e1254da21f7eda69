/** Auto-layout: left-to-right layers, computed by elkjs off the main thread's hot path. */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { GraphDocument } from '../../../document/graph';

const elk = new ELK();

export async function autoLayout(
  doc: GraphDocument,
  sizes: Map<string, { width: number; height: number }>,
): Promise<Map<string, { x: number; y: number }>> {
  const graph = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.spacing.nodeNode': '40',
    },
    children: doc.nodes.map((n) => ({
      id: n.id,
      width: sizes.get(n.id)?.width ?? 190,
      height: sizes.get(n.id)?.height ?? 110,
    })),
    edges: doc.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  const out = await elk.layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  for (const c of out.children ?? []) positions.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 });
  return positions;
}
