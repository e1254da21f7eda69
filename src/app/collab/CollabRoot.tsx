/**
 * Chooses the store the editor works on: the private offline store, or the
 * collaborative store of a room (#room=<id>&token=<token>; the older ?room=... links
 * still open, and are rewritten to the fragment). Both are GraphStores, so
 * the editor below is the same; it is mounted afresh when the store changes.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { openRoom, collabUrl, type Room } from '../../collab/room';
import type { GraphStore } from '../../../document/store';
import { App } from '../App';
import type { Startup } from '../startup';
import { CollabContext, type Collab } from './context';
import { roomFragment, roomFromUrl, tokenMode } from './api';
import { localUser } from './identity';
import './collab.css';

interface Joined {
  id: string;
  token: string;
  room: Room;
}

function join(id: string, token: string): Joined {
  const room = openRoom({ url: collabUrl(location), room: id, token, user: localUser() });
  // The server enforces read-only; setting it now keeps the UI from editing before it says so.
  if (tokenMode(token) === 'read') room.store.readOnly = true;
  return { id, token, room };
}

export function CollabRoot({ offline, start }: { offline: GraphStore; start: Startup }) {
  const [joined, setJoined] = useState<Joined | null>(() => {
    const r = roomFromUrl(location.hash) ?? roomFromUrl(location.search);
    if (!r) return null;
    // A token in the query string would go to the server (and its logs) on every reload.
    if (location.search) history.replaceState(null, '', `${location.pathname}${roomFragment(r.id, r.token)}`);
    return join(r.id, r.token);
  });
  useEffect(() => {
    if (!joined) return;
    // Leaving the page must take this person's cursor and marks away at once, not after the presence timeout.
    const onHide = () => joined.room.presence.destroy();
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
      joined.room.destroy();
    };
  }, [joined]);

  // The room on show, also in a ref: Back fires popstate and hashchange back to back,
  // before React re-renders, and the second must not open the same room twice.
  const current = useRef(joined);
  const switchTo = useCallback((next: Joined | null) => {
    current.current = next;
    setJoined(next);
  }, []);
  const enterRoom = useCallback(
    (id: string, token: string) => {
      history.pushState(null, '', `${location.pathname}${roomFragment(id, token)}`);
      switchTo(join(id, token));
    },
    [switchTo],
  );
  // Each room has its own history entry: Back and Forward move between rooms and the
  // private editor; a room link pasted into the address bar changes only the fragment.
  useEffect(() => {
    const sync = () => {
      const r = roomFromUrl(location.hash);
      const cur = current.current;
      if (!r) {
        if (cur) switchTo(null);
      } else if (!cur || r.id !== cur.id || r.token !== cur.token) switchTo(join(r.id, r.token));
    };
    window.addEventListener('popstate', sync);
    window.addEventListener('hashchange', sync);
    return () => {
      window.removeEventListener('popstate', sync);
      window.removeEventListener('hashchange', sync);
    };
  }, [switchTo]);
  const leave = useCallback(() => {
    history.pushState(null, '', location.pathname);
    switchTo(null);
  }, [switchTo]);

  const [dialogOpen, setDialogOpen] = useState(false);
  const store: GraphStore = joined?.room.store ?? offline;
  useEffect(() => {
    const w = window as unknown as { wavegraph?: Record<string, unknown> };
    w.wavegraph = { ...w.wavegraph, store, room: joined?.room ?? null };
  }, [store, joined]);

  const value = useMemo<Collab>(
    () => ({
      room: joined?.room ?? null,
      roomId: joined?.id ?? null,
      token: joined?.token ?? null,
      mode: joined ? (tokenMode(joined.token) ?? 'edit') : null,
      enterRoom,
      leave,
      dialogOpen,
      setDialogOpen,
    }),
    [joined, enterRoom, leave, dialogOpen],
  );
  // Startup messages and the gallery belong to the first mount only.
  const [first] = useState(start);
  const startFor = joined ? { ...first, messages: [], showGallery: false } : first;
  return (
    <CollabContext.Provider value={value}>
      {/* The token is in the key: after "replace links" the owner rejoins the same room afresh. */}
      <App key={joined ? `${joined.id} ${joined.token}` : 'offline'} store={store} start={startFor} />
    </CollabContext.Provider>
  );
}
