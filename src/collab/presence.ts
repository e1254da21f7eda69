/**
 * Presence: who is here, where their cursor is, what they selected, drag and edit
 * in progress. It travels over Yjs awareness, never through the document, and this
 * module caps how often this client publishes (awareness resends the whole local
 * state on every change, and a class of 30 fans that out 30 times).
 */
import type { Awareness } from 'y-protocols/awareness';
import { z } from 'zod';

/**
 * The one shape a presence state may have. The server checks every state against it
 * before relaying (src/server/rooms-extension.ts) and every client checks again before
 * any component sees a peer: a state that does not match is dropped whole, and fields
 * not named here are stripped.
 */
const finite = z.number().finite();
const nodeId = z.string().min(1).max(200);
/** Points of a shared training run (ShareRun keeps the last 120). */
export const RUN_POINTS = 120;
// JSON turns NaN (a diverged loss) into null.
const runValues = z.array(finite.nullable()).max(RUN_POINTS);

export const runSchema = z.object({
  label: z.string().max(500),
  docVersion: z.string().max(64),
  phase: z.string().max(40),
  series: z
    .object({
      step: z.array(finite).max(RUN_POINTS),
      loss: runValues,
      trainAcc: runValues,
      testAcc: runValues,
      samplesPerSec: runValues,
    })
    .refine(
      (s) => [s.loss, s.trainAcc, s.testAcc, s.samplesPerSec].every((xs) => xs.length === s.step.length),
      'series of unequal lengths',
    ),
});

export const userSchema = z.object({
  name: z.string().min(1).max(100),
  // Only a hex colour: it goes into style attributes.
  color: z.string().regex(/^#[0-9a-fA-F]{3,8}$/),
});

export const presenceSchema = z.object({
  user: userSchema,
  /** Pointer position in flow (canvas) coordinates, not screen pixels. */
  cursor: z.object({ x: finite, y: finite }).nullable().optional(),
  selection: z.array(nodeId).max(5000).optional(),
  /** A node being dragged: its live position, before the drop writes it to the document. */
  dragging: z.object({ id: nodeId, x: finite, y: finite }).nullable().optional(),
  /** The node whose inspector this person has open. */
  editing: nodeId.nullable().optional(),
  /** Viewport, so others can follow this person's view. */
  viewport: z.object({ x: finite, y: finite, zoom: finite.positive() }).nullable().optional(),
  /** A training run this person shares live (ShareRun). */
  run: runSchema.nullable().optional(),
  /** Presenting: others draw this person's cursor as a laser-pointer dot. */
  laser: z.boolean().optional(),
  /** Leading the lesson: the step (from 0) that the others in the room follow. */
  leadStep: z.number().int().min(0).max(1000).nullable().optional(),
});

export type PresenceUser = z.infer<typeof userSchema>;
export type PresenceState = z.infer<typeof presenceSchema>;
export type SharedRun = z.infer<typeof runSchema>;

/** The state as the schema allows it (unknown fields stripped), or undefined. */
export function parsePresence(state: unknown): PresenceState | undefined {
  const r = presenceSchema.safeParse(state);
  return r.success ? r.data : undefined;
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

/**
 * Awareness replaces a peer's state object on every change, so a state is checked
 * once however often the peer list is read (30 peers at 30 Hz each).
 */
const checked = new WeakMap<object, PresenceState | null>();

function checkedState(state: unknown): PresenceState | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  let parsed = checked.get(state);
  if (parsed === undefined) {
    parsed = parsePresence(state) ?? null;
    checked.set(state, parsed);
  }
  return parsed ?? undefined;
}

/** Other clients' presence, skipping states that do not match the schema. */
export function readPeers(awareness: Awareness): Peer[] {
  const out: Peer[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const valid = checkedState(state);
    if (valid) out.push({ ...valid, clientId });
  }
  return out.sort((a, b) => a.clientId - b.clientId);
}
