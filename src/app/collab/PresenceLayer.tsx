/**
 * Others on the canvas, drawn in flow coordinates inside React Flow's viewport (so
 * they pan and zoom with the graph): cursors, selections outlined in each person's
 * colour, a marker on the node someone has open, and nodes being dragged.
 */
import type { ReactElement } from 'react';
import { useNodes, useReactFlow, useViewport, ViewportPortal } from '@xyflow/react';
import type { Peer } from '../../collab/presence';
import { usePeers } from './context';

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function PresenceLayer() {
  const peers = usePeers();
  // Alone on the canvas, nothing follows the nodes or the view: a drag or a pan re-renders nothing here.
  return peers.length ? <PeersOnCanvas peers={peers} /> : null;
}

function PeersOnCanvas({ peers }: { peers: Peer[] }) {
  const flow = useReactFlow();
  const { zoom } = useViewport();
  useNodes(); // re-render when nodes move or resize
  const box = (id: string): Box | null => {
    const n = flow.getInternalNode(id);
    if (!n) return null;
    const p = n.internals.positionAbsolute;
    return { x: p.x, y: p.y, w: n.measured.width ?? 180, h: n.measured.height ?? 80 };
  };
  return (
    <ViewportPortal>
      {peers.map((p) => (
        <PeerMarks key={p.clientId} peer={p} box={box} zoom={zoom} />
      ))}
    </ViewportPortal>
  );
}

function PeerMarks({ peer, box, zoom }: { peer: Peer; box: (id: string) => Box | null; zoom: number }) {
  const colour = peer.user.color;
  const pad = 5;
  const marks: ReactElement[] = [];
  for (const id of peer.selection ?? []) {
    const b = box(id);
    if (!b) continue;
    marks.push(
      <div
        key={`sel-${id}`}
        className="peer-selection"
        data-testid={`peer-selection-${id}`}
        style={{
          transform: `translate(${b.x - pad}px, ${b.y - pad}px)`,
          width: b.w + 2 * pad,
          height: b.h + 2 * pad,
          borderColor: colour,
        }}
      />,
    );
  }
  if (peer.editing) {
    const b = box(peer.editing);
    if (b)
      marks.push(
        <div
          key="editing"
          className="peer-editing"
          data-testid={`peer-editing-${peer.editing}`}
          style={{ transform: `translate(${b.x}px, ${b.y - 22}px)`, background: colour }}
        >
          ✎ {peer.user.name}
        </div>,
      );
  }
  if (peer.dragging) {
    const b = box(peer.dragging.id);
    if (b)
      marks.push(
        <div
          key="drag"
          className="peer-drag"
          style={{
            transform: `translate(${peer.dragging.x}px, ${peer.dragging.y}px)`,
            width: b.w,
            height: b.h,
            borderColor: colour,
          }}
        />,
      );
  }
  if (peer.cursor) {
    marks.push(
      <div
        key="cursor"
        className={`peer-cursor${peer.laser ? ' peer-laser' : ''}`}
        data-testid="peer-cursor"
        data-name={peer.user.name}
        style={{ transform: `translate(${peer.cursor.x}px, ${peer.cursor.y}px) scale(${1 / zoom})` }}
      >
        <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden>
          <path d="M1 1 L1 15 L5 11 L8 17 L10.5 16 L7.5 10 L13 10 Z" fill={colour} stroke="#10131a" strokeWidth="1.2" />
        </svg>
        <span style={{ background: colour }}>{peer.user.name}</span>
      </div>,
    );
  }
  return <>{marks}</>;
}
