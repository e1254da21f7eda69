/** The name and colour others see for this person; chosen once and kept in localStorage. */
import { userSchema, type PresenceUser } from '../../collab/presence';

const KEY = 'wavegraph-user';
const COLOURS = [
  '#ff6b6b',
  '#4dabf7',
  '#51cf66',
  '#fcc419',
  '#cc5de8',
  '#ff922b',
  '#22b8cf',
  '#f06595',
  '#94d82d',
  '#845ef7',
];
const ANIMALS = ['Otter', 'Heron', 'Lynx', 'Marten', 'Puffin', 'Ibex', 'Gecko', 'Wren', 'Tapir', 'Newt'];

export function localUser(): PresenceUser {
  try {
    // A saved name the presence schema refuses would make this person invisible to the room.
    const saved = userSchema.safeParse(JSON.parse(localStorage.getItem(KEY) ?? 'null'));
    if (saved.success) return saved.data;
  } catch {}
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
  const user = { name: `${pick(ANIMALS)} ${Math.floor(Math.random() * 90 + 10)}`, color: pick(COLOURS) };
  saveUser(user);
  return user;
}

export function saveUser(user: PresenceUser): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(user));
  } catch {}
}
