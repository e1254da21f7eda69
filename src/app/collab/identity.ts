/** The name and colour others see for this person; chosen once and kept in localStorage. */
import type { PresenceUser } from '../../collab/presence';

const KEY = 'wavegraph-user';
const COLOURS = ['#ff6b6b', '#4dabf7', '#51cf66', '#fcc419', '#cc5de8', '#ff922b', '#22b8cf', '#f06595', '#94d82d', '#845ef7'];
const ANIMALS = ['Otter', 'Heron', 'Lynx', 'Marten', 'Puffin', 'Ibex', 'Gecko', 'Wren', 'Tapir', 'Newt'];

export function localUser(): PresenceUser {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as PresenceUser | null;
    if (saved && typeof saved.name === 'string' && typeof saved.color === 'string') return saved;
  } catch {}
  const pick = <T,>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
  const user = { name: `${pick(ANIMALS)} ${Math.floor(Math.random() * 90 + 10)}`, color: pick(COLOURS) };
  saveUser(user);
  return user;
}

export function saveUser(user: PresenceUser): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(user));
  } catch {}
}
