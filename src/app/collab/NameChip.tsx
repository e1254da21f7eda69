/**
 * This person's chip in the room's list: click it to choose the name others see. The
 * name is kept in localStorage (identity.ts) for the next room, and goes out at once
 * through presence.
 */
import { useState, type FormEvent } from 'react';
import { userSchema } from '../../collab/presence';
import { useCollab } from './context';
import { localUser, saveUser } from './identity';

export function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

export function NameChip() {
  const { room } = useCollab();
  const [me, setMe] = useState(localUser);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(me.name);
  const name = draft.trim().replace(/\s+/g, ' ');
  const valid = userSchema.safeParse({ ...me, name }).success;
  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    const user = { ...me, name };
    saveUser(user);
    room?.presence.setUser(user);
    setMe(user);
    setEditing(false);
  };
  return (
    <li className="name-chip">
      <button
        className="peer peer-self"
        style={{ borderColor: me.color }}
        title={`${me.name} (you): click to change your name`}
        // The visible initials start the name, as a speech-input user would say them.
        aria-label={`${initials(me.name)}: you, ${me.name}; change your name`}
        aria-expanded={editing}
        data-testid="my-name"
        data-name={me.name}
        onClick={() => {
          setDraft(me.name);
          setEditing(!editing);
        }}
      >
        {initials(me.name)}
      </button>
      {editing && (
        <form className="name-form" onSubmit={save} data-testid="name-form">
          <label>
            Your name in rooms
            <input
              autoFocus
              value={draft}
              maxLength={100}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
              data-testid="name-input"
            />
          </label>
          <button type="submit" disabled={!valid}>
            Save
          </button>
        </form>
      )}
    </li>
  );
}
