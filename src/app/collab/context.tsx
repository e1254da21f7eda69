/**
 * Which room, if any, the editor is in. Outside a room every hook here answers as a
 * private editor would (no peers, connected, editable), so components need no branches.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import type { Room, ConnectionStatus } from '../../collab/room';
import type { Peer } from '../../collab/presence';
import type { RoomMode } from './api';

export interface Collab {
  room: Room | null;
  roomId: string | null;
  token: string | null;
  mode: RoomMode | null;
  /** Switch the editor to a room (closing the current one). */
  enterRoom(id: string, token: string): void;
  /** Back to the private, offline document. */
  leave(): void;
  /** The room dialog; kept here because entering a room remounts the editor. */
  dialogOpen: boolean;
  setDialogOpen(open: boolean): void;
}

export const CollabContext = createContext<Collab>({
  room: null,
  roomId: null,
  token: null,
  mode: null,
  enterRoom() {},
  leave() {},
  dialogOpen: false,
  setDialogOpen() {},
});

export const useCollab = () => useContext(CollabContext);

export function useReadOnly(): boolean {
  return useCollab().mode === 'read';
}

export function usePeers(): Peer[] {
  const { room } = useCollab();
  const [peers, setPeers] = useState<Peer[]>(() => room?.presence.peers() ?? []);
  useEffect(() => {
    if (!room) return setPeers([]);
    setPeers(room.presence.peers());
    return room.presence.subscribe(setPeers);
  }, [room]);
  return peers;
}

export type StatusLabel = 'connected' | 'connecting' | 'reconnecting' | 'offline' | 'refused';

export function useRoomStatus(): StatusLabel | null {
  const { room } = useCollab();
  const [status, setStatus] = useState<ConnectionStatus | null>(room?.status() ?? null);
  const [everConnected, setEverConnected] = useState(false);
  useEffect(() => {
    if (!room) return setStatus(null);
    setStatus(room.status());
    if (room.status() === 'connected') setEverConnected(true);
    const off = room.onStatus((s) => {
      setStatus(s);
      if (s === 'connected') setEverConnected(true);
    });
    return off;
  }, [room]);
  if (!room || !status) return null;
  if (room.denied()) return 'refused';
  if (status === 'connecting') return everConnected ? 'reconnecting' : 'connecting';
  return status;
}

/** Ask before deleting nodes that someone else has open; true when the delete may go ahead. */
export function confirmDeleteEdited(room: Room | null, ids: Iterable<string>): boolean {
  if (!room) return true;
  const who = new Set<string>();
  for (const id of ids) for (const p of room.presence.editorsOf(id)) who.add(p.user.name);
  if (!who.size) return true;
  return window.confirm(
    `${[...who].join(', ')} ${who.size === 1 ? 'is' : 'are'} editing a node you are deleting. Delete it anyway?`,
  );
}
