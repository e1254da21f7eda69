/**
 * The room dialog: edit and read-only links, replacing them (the old ones stop
 * working at once), publishing as a starting point, the list of forks, the room's
 * history, leaving.
 */
import { useEffect, useState } from 'react';
import { useNotify } from '../messages';
import { useEditor } from '../editor-context';
import {
  listForks,
  publishRoom,
  recallTokens,
  rememberTokens,
  roomLink,
  rotateLinks,
  type ForkEntry,
  type RoomInfo,
} from './api';
import { useCollab } from './context';
import { HistoryPanel } from './HistoryPanel';
import { ShareRunToggle } from './ShareRun';

export function RoomDialog({
  info,
  onInfo,
  onClose,
}: {
  info: RoomInfo | null;
  onInfo(i: RoomInfo): void;
  onClose(): void;
}) {
  const { roomId, token, mode, enterRoom, leave } = useCollab();
  const notify = useNotify();
  const { doc } = useEditor();
  const [forks, setForks] = useState<ForkEntry[] | null>(null);
  const [published, setPublished] = useState(!!info?.published);
  useEffect(() => setPublished(!!info?.published), [info?.published]);
  const tokens = roomId ? recallTokens(roomId) : undefined;
  const isOwner = mode === 'owner';
  useEffect(() => {
    if (isOwner && roomId && token)
      listForks(roomId, token).then(
        (r) => setForks(r.forks),
        () => setForks([]),
      );
  }, [isOwner, roomId, token]);
  if (!roomId || !token) return null;

  const editToken = mode === 'read' ? undefined : (tokens?.edit ?? (mode === 'edit' ? token : undefined));
  const readToken = tokens?.read ?? (mode === 'read' ? token : undefined);
  const publish = async (want: boolean) => {
    setPublished(want);
    try {
      const r = await publishRoom(roomId, token, want);
      setPublished(r.published);
      if (info) onInfo({ ...info, published: r.published });
      notify('success', r.published ? 'Published: anyone with a link can fork it.' : 'No longer published.');
    } catch (e) {
      setPublished(!want);
      notify('error', 'Could not publish the room.', (e as Error).message);
    }
  };

  const rotate = async () => {
    if (
      !window.confirm(
        'Replace the links of this room? Everyone using the current links is disconnected and needs the new ones.',
      )
    )
      return;
    try {
      const r = await rotateLinks(roomId, token);
      rememberTokens(roomId, r.tokens);
      enterRoom(roomId, r.tokens.owner);
      notify('success', 'New links made; the old ones no longer work.', 'Share the new edit or read-only link.');
    } catch (e) {
      notify('error', 'Could not replace the links.', (e as Error).message);
    }
  };

  return (
    <div className="room-dialog-backdrop" onClick={onClose}>
      <div
        className="room-dialog"
        role="dialog"
        aria-label="Shared room"
        data-testid="room-dialog"
        onClick={(e) => e.stopPropagation()}
      >
        <h2>Shared room “{doc.name || 'Untitled'}”</h2>
        {editToken && <LinkRow label="Edit link" testId="edit-link" url={roomLink(roomId, editToken)} />}
        {readToken && <LinkRow label="Read-only link" testId="read-link" url={roomLink(roomId, readToken)} />}
        {isOwner && (
          <button
            data-testid="rotate-links"
            onClick={() => void rotate()}
            title="Make new links; the current ones stop working and their open connections close"
          >
            Replace links…
          </button>
        )}
        {isOwner && (
          <section>
            <label>
              <input
                type="checkbox"
                data-testid="publish-toggle"
                checked={published}
                onChange={(e) => void publish(e.target.checked)}
              />{' '}
              Publish as a starting point (students with a link can fork it)
            </label>
            <h3>Forks</h3>
            {forks === null ? (
              <p>Loading…</p>
            ) : forks.length === 0 ? (
              <p className="muted">No forks yet.</p>
            ) : (
              <ul className="fork-list" data-testid="fork-list">
                {forks.map((f) => (
                  <li key={f.id}>
                    <code>{f.id}</code> <span className="muted">{new Date(f.createdAt).toLocaleString()}</span>{' '}
                    <button onClick={() => (enterRoom(f.id, f.readToken), onClose())}>Open read-only</button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
        {isOwner && <HistoryPanel roomId={roomId} token={token} />}
        <ShareRunToggle />
        <footer>
          <button onClick={() => (leave(), onClose())} data-testid="leave-room">
            Leave room (back to my own graph)
          </button>
          <button onClick={onClose} data-testid="room-dialog-close">
            Close
          </button>
        </footer>
      </div>
    </div>
  );
}

function LinkRow({ label, testId, url }: { label: string; testId: string; url: string }) {
  const notify = useNotify();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      notify('success', `${label} copied.`);
    } catch {
      notify('info', 'Select the link and copy it.');
    }
  };
  return (
    <div className="link-row">
      <span>{label}</span>
      <input readOnly value={url} aria-label={label} data-testid={testId} onFocus={(e) => e.target.select()} />
      <button onClick={() => void copy()}>Copy</button>
    </div>
  );
}
