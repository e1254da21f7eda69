/**
 * What the server relays of presence (Yjs awareness). Every incoming state is
 *   - tied to its connection: the first client id a connection speaks for is its own,
 *     and a state for any other id (someone else's cursor, a forged departure) is
 *     dropped, read-only connections included;
 *   - checked against the presence schema (src/collab/presence.ts) and relayed as the
 *     schema strips it, or dropped;
 *   - rate limited per connection: a token bucket at the client's own publishing rate,
 *     with room for a burst (a drop is flushed at once); the excess is dropped.
 * States from Redis (another server process) have no connection here: that process
 * already checked ownership and rate, so only the schema is applied again.
 */
import type { Connection, Document } from '@hocuspocus/server';
import { MAX_PRESENCE_RATE_HZ, parsePresence } from '../collab/presence';

export interface PresenceLimits {
  /** One presence state, JSON bytes. */
  maxStateBytes: number;
  /** Sustained states per second per connection. */
  ratePerSecond: number;
  /** States a connection may send at once after a quiet spell. */
  burst: number;
}

export const DEFAULT_PRESENCE_LIMITS: PresenceLimits = {
  maxStateBytes: 8 * 1024,
  ratePerSecond: MAX_PRESENCE_RATE_HZ,
  burst: 2 * MAX_PRESENCE_RATE_HZ,
};

interface Bucket {
  tokens: number;
  at: number;
}

export class PresenceGate {
  private readonly owner = new WeakMap<Connection, number>();
  private readonly buckets = new WeakMap<Connection, Bucket>();
  /** Counts of dropped states by reason, for the logs and tests. */
  readonly dropped = { schema: 0, foreign: 0, rate: 0, size: 0 };

  constructor(
    private readonly limits: PresenceLimits = DEFAULT_PRESENCE_LIMITS,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Rewrites `states` in place to what may be relayed. */
  filter(states: Map<number, Record<string, unknown>>, document: Document, connection: Connection | undefined): void {
    for (const [clientId, state] of [...states]) {
      const reason = this.refusal(clientId, state, document, connection);
      if (reason) {
        this.dropped[reason]++;
        states.delete(clientId);
      } else if (state !== null) {
        states.set(clientId, parsePresence(state)!);
      }
    }
  }

  private refusal(
    clientId: number,
    state: Record<string, unknown> | null,
    document: Document,
    connection: Connection | undefined,
  ): keyof PresenceGate['dropped'] | undefined {
    // The shape first: Hocuspocus decodes each message into a scratch awareness whose own
    // empty state ({} under a random id) sits in `states` too, and it must not claim an id.
    if (state !== null) {
      if (JSON.stringify(state).length > this.limits.maxStateBytes) return 'size';
      if (!parsePresence(state)) return 'schema';
    }
    if (connection && !this.owns(connection, clientId, document)) return 'foreign';
    if (connection && !this.take(connection)) return 'rate';
    return undefined;
  }

  private owns(connection: Connection, clientId: number, document: Document): boolean {
    const own = this.owner.get(connection);
    if (own !== undefined) return own === clientId;
    // Unclaimed: the id becomes this connection's unless another open connection holds it.
    for (const other of document.getConnections())
      if (other !== connection && this.owner.get(other) === clientId) return false;
    this.owner.set(connection, clientId);
    return true;
  }

  private take(connection: Connection): boolean {
    const t = this.now();
    const b = this.buckets.get(connection) ?? { tokens: this.limits.burst, at: t };
    b.tokens = Math.min(this.limits.burst, b.tokens + ((t - b.at) / 1000) * this.limits.ratePerSecond);
    b.at = t;
    this.buckets.set(connection, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
