/**
 * Presence: who is here, where their cursor is, what they selected, drag and edit
 * in progress. It travels over Yjs awareness, never through the document, and this
 * module caps how often this client publishes (awareness resends the whole local
 * state on every change, and a class of 30 fans that out 30 times).
 */
import type { Awareness } from 'y-protocols/awareness';

export interface PresenceUser {
  name: string;
  color: string;
}

export interface PresenceState {
  user: PresenceUser;
  /** Pointer position in flow (canvas) coordinates, not screen pixels. */
  cursor?: { x: number; y: number } | null;
  selection?: string[];
  /** A node being dragged: its live position, before the drop writes it to the document. */
  dragging?: { id: string; x: number; y: number } | null;
  /** The node whose inspector this person has open. */
  editing?: string | null;
  /** Viewport, so others can follow this person's view. */
  viewport?: { x: number; y: number; zoom: number } | null;
  /** Presenting: others draw this person's cursor as a laser-pointer dot. */
  laser?: boolean;
}

export interface Peer extends PresenceState {
  clientId: number;
}

export const MAX_PRESENCE_RATE_HZ = 30;

export class Presence {
  private pending: Partial<PresenceState> = {};
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastSent = 0;
  private readonly minInterval: number;
  /** Local messages actually handed to awareness (for the benchmark and tests). */
  sent = 0;

  constructor(
    readonly awareness: Awareness,
    user: PresenceUser,
    opts: { maxRateHz?: number; now?: () => number } = {},
  ) {
    this.minInterval = 1000 / Math.min(opts.maxRateHz ?? MAX_PRESENCE_RATE_HZ, MAX_PRESENCE_RATE_HZ);
    this.now = opts.now ?? (() => Date.now());
    this.pending = { user };
    this.flush();
  }

  private readonly now: () => number;

  /** Merge a change into the local state; it goes out now or at the next slot. */
  update(patch: Partial<PresenceState>): void {
    this.pending = { ...this.pending, ...patch };
    if (this.timer) return;
    const wait = this.lastSent + this.minInterval - this.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  setUser(user: PresenceUser): void {
    this.update({ user });
  }
  setCursor(cursor: { x: number; y: number } | null): void {
    this.update({ cursor });
  }
  setSelection(selection: string[]): void {
    this.update({ selection });
  }
  setDragging(dragging: { id: string; x: number; y: number } | null): void {
    this.update({ dragging });
  }
  setEditing(editing: string | null): void {
    this.update({ editing });
  }
  setViewport(viewport: { x: number; y: number; zoom: number } | null): void {
    this.update({ viewport });
  }

  /** Send whatever is pending right away (e.g. a drop must not wait for the next slot). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const current = (this.awareness.getLocalState() ?? {}) as Partial<PresenceState>;
    this.awareness.setLocalState({ ...current, ...this.pending });
    this.pending = {};
    this.lastSent = this.now();
    this.sent++;
  }

  /** Everyone else in the room with a valid state. */
  peers(): Peer[] {
    return readPeers(this.awareness);
  }

  /** The other people currently editing `nodeId` (for the warning before a delete). */
  editorsOf(nodeId: string): Peer[] {
    return this.peers().filter((p) => p.editing === nodeId);
  }

  subscribe(listener: (peers: Peer[]) => void): () => void {
    const onChange = () => listener(this.peers());
    this.awareness.on('change', onChange);
    return () => this.awareness.off('change', onChange);
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.awareness.setLocalState(null);
  }
}

/** Other clients' presence, skipping states that are not well-formed. */
export function readPeers(awareness: Awareness): Peer[] {
  const out: Peer[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const user = (state as { user?: unknown }).user as PresenceUser | undefined;
    if (!user || typeof user.name !== 'string' || typeof user.color !== 'string') continue;
    out.push({ ...(state as PresenceState), clientId });
  }
  return out.sort((a, b) => a.clientId - b.clientId);
}
