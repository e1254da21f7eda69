/**
 * What this person's canvas tells the room: pointer in flow coordinates, selection,
 * the node they have open (a single selected node shows in the inspector), viewport,
 * and the live position of a node being dragged. The document itself only changes
 * when the drag ends.
 */
import { useEffect, useMemo } from 'react';
import { useReactFlow, type Viewport } from '@xyflow/react';
import { useCollab } from './context';

export interface PresenceHandlers {
  onPointerMove(e: React.PointerEvent): void;
  onPointerLeave(): void;
  onMove(e: unknown, vp: Viewport): void;
  onNodeDrag(e: unknown, node: { id: string; position: { x: number; y: number } }): void;
  onNodeDragStop(): void;
}

export function usePresencePublishing(selected: ReadonlySet<string>): PresenceHandlers {
  const { room } = useCollab();
  const flow = useReactFlow();
  useEffect(() => {
    if (!room) return;
    const ids = [...selected];
    room.presence.update({ selection: ids, editing: ids.length === 1 ? ids[0] : null });
  }, [room, selected]);
  useEffect(() => {
    if (room) room.presence.setViewport(flow.getViewport());
  }, [room, flow]);
  return useMemo<PresenceHandlers>(
    () => ({
      onPointerMove(e) {
        room?.presence.setCursor(flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
      },
      onPointerLeave() {
        room?.presence.setCursor(null);
      },
      onMove(_e, vp) {
        room?.presence.setViewport(vp);
      },
      onNodeDrag(_e, node) {
        room?.presence.setDragging({ id: node.id, x: node.position.x, y: node.position.y });
      },
      onNodeDragStop() {
        if (!room) return;
        room.presence.setDragging(null);
        room.presence.flush();
      },
    }),
    [room, flow],
  );
}
