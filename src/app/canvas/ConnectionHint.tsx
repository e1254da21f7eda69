/** While an edge is dragged over a port that refuses it, say why, next to the cursor. */
import { useConnection, ViewportPortal } from '@xyflow/react';
import type { GraphDocument } from '../../../document/graph';
import type { Analysis } from '../../../compiler/index';
import { checkConnection } from '../graph/connection-check';

export function connectionEnds(
  from: { nodeId: string; id?: string | null; type: string },
  to: { nodeId: string; id?: string | null },
) {
  return from.type === 'source'
    ? { src: { node: from.nodeId, port: from.id ?? 'out' }, dst: { node: to.nodeId, port: to.id ?? 'in' } }
    : { src: { node: to.nodeId, port: to.id ?? 'out' }, dst: { node: from.nodeId, port: from.id ?? 'in' } };
}

export function ConnectionHint({ doc, analysis }: { doc: GraphDocument; analysis: Analysis }) {
  const c = useConnection();
  if (!c.inProgress || !c.toHandle || !c.fromHandle) return null;
  const { src, dst } = connectionEnds(c.fromHandle, c.toHandle);
  const verdict = checkConnection(doc, analysis, src, dst);
  if (verdict.ok) return null;
  return (
    <ViewportPortal>
      <div
        className="connection-hint"
        data-testid="connection-hint"
        style={{ transform: `translate(${c.to.x + 14}px, ${c.to.y + 14}px)` }}
      >
        {verdict.reason}
      </div>
    </ViewportPortal>
  );
}
