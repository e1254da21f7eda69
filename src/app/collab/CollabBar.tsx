/**
 * The collaboration part of the header: start a room, connection status, the
 * read-only badge, who is here (click a name to follow their view), fork, and the
 * room dialog with the links.
 */
import { useEffect, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import { useEditor } from '../editor-context';
import { useNotify } from '../messages';
import { ApiError, createRoom, forkRoom, rememberTokens, roomInfo, saveCreateKey, type RoomInfo } from './api';
import { useCollab, usePeers, useRoomStatus } from './context';
import { NameChip, initials } from './NameChip';
import { RoomDialog } from './RoomDialog';

const STATUS_TEXT = {
  connected: 'connected',
  connecting: 'connecting…',
  reconnecting: 'reconnecting…',
  offline: 'offline: edits kept here',
  refused: 'access refused',
} as const;

export function CollabBar() {
  const { doc } = useEditor();
  const collab = useCollab();
  const notify = useNotify();
  const status = useRoomStatus();
  const peers = usePeers();
  const flow = useReactFlow();
  const { dialogOpen: dialog, setDialogOpen: setDialog } = collab;
  const [busy, setBusy] = useState(false);
  const [info, setInfo] = useState<RoomInfo | null>(null);
  const [following, setFollowing] = useState<number | null>(null);

  useEffect(() => setInfo(null), [collab.roomId]);
  useEffect(() => {
    if (!collab.roomId || !collab.token || status !== 'connected') return;
    roomInfo(collab.roomId, collab.token).then(setInfo, () => undefined);
  }, [collab.roomId, collab.token, status]);

  const followed = peers.find((p) => p.clientId === following);
  useEffect(() => {
    if (following !== null && !followed) setFollowing(null);
    else if (followed?.viewport) void flow.setViewport(followed.viewport, { duration: 120 });
  }, [following, followed, followed?.viewport, flow]);

  const startRoom = async () => {
    setBusy(true);
    try {
      const r = await createRoom(doc).catch((e: unknown) => {
        // A server with a creation key: ask for it once, keep it in this browser.
        if (!(e instanceof ApiError) || e.code !== 'create-key') throw e;
        const key = window.prompt(`${e.message}\nKey:`);
        if (!key) throw e;
        saveCreateKey(key);
        return createRoom(doc);
      });
      rememberTokens(r.id, r.tokens);
      collab.enterRoom(r.id, r.tokens.owner);
      setDialog(true);
    } catch (e) {
      notify('error', 'Could not create a shared room.', (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const fork = async () => {
    if (!collab.roomId || !collab.token) return;
    setBusy(true);
    try {
      const r = await forkRoom(collab.roomId, collab.token);
      rememberTokens(r.id, r.tokens);
      collab.enterRoom(r.id, r.tokens.owner);
      notify('success', 'Your own copy is open.', 'Changes here do not touch the original room.');
    } catch (e) {
      notify('error', 'Could not fork this room.', (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!collab.room) {
    return (
      <button
        onClick={() => void startRoom()}
        disabled={busy}
        data-testid="collab-button"
        title="Create a shared room from this graph and get links for others"
      >
        Collaborate
      </button>
    );
  }
  const canFork = collab.mode !== 'owner' && (info?.published || collab.mode === 'edit');
  return (
    <div className="collab-bar">
      {status && (
        <span className={`collab-status collab-${status}`} data-testid="collab-status" data-status={status}>
          ● {STATUS_TEXT[status]}
        </span>
      )}
      {collab.mode === 'read' && (
        <span
          className="readonly-badge"
          data-testid="readonly-badge"
          title="This link can look but not change the graph"
        >
          read-only
        </span>
      )}
      <ul className="peers" data-testid="peers" aria-label="Who is here">
        <NameChip />
        {peers.map((p) => (
          <li key={p.clientId}>
            <button
              className={`peer ${following === p.clientId ? 'peer-followed' : ''}`}
              style={{ background: p.user.color }}
              data-testid="peer"
              data-name={p.user.name}
              title={
                following === p.clientId
                  ? `Following ${p.user.name}; click to stop`
                  : `${p.user.name}: click to follow their view`
              }
              onClick={() => setFollowing(following === p.clientId ? null : p.clientId)}
            >
              {initials(p.user.name)}
            </button>
          </li>
        ))}
      </ul>
      {canFork && info?.published && (
        <button
          onClick={() => void fork()}
          disabled={busy}
          data-testid="fork-button"
          title="Make your own copy of this starting point"
        >
          Fork
        </button>
      )}
      <button onClick={() => setDialog(true)} data-testid="room-button" title="Links, publishing, forks">
        Room
      </button>
      {dialog && <RoomDialog info={info} onInfo={setInfo} onClose={() => setDialog(false)} />}
    </div>
  );
}
