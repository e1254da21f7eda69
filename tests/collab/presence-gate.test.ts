/**
 * The server's presence gate on its own, with a clock the test moves: the per-connection
 * rate limit and the one-client-id-per-connection rule.
 */
import { describe, expect, it } from 'vitest';
import type { Connection, Document } from '@hocuspocus/server';
import { PresenceGate } from '../../src/server/presence-gate';

function setup() {
  let now = 0;
  const gate = new PresenceGate({ maxStateBytes: 1024, ratePerSecond: 30, burst: 60 }, () => now);
  const connections: Connection[] = [];
  const document = { getConnections: () => connections } as unknown as Document;
  const connect = () => {
    const c = {} as Connection;
    connections.push(c);
    return c;
  };
  const send = (c: Connection, clientId: number, x: number): boolean => {
    const states = new Map<number, Record<string, unknown>>([
      [clientId, { user: { name: 'A', color: '#fff' }, cursor: { x, y: 0 }, extra: 'stripped' }],
    ]);
    gate.filter(states, document, c);
    return states.has(clientId);
  };
  return { gate, connect, send, advance: (ms: number) => (now += ms) };
}

describe('presence gate', () => {
  it('passes a burst, then 30 states a second per connection, and drops the rest', () => {
    const { gate, connect, send, advance } = setup();
    const c = connect();
    let passed = 0;
    for (let i = 0; i < 400; i++) passed += send(c, 1, i) ? 1 : 0;
    expect(passed).toBe(60);
    // A client at 30 Hz for ten seconds is never cut.
    let steady = 0;
    for (let i = 0; i < 300; i++) {
      advance(1000 / 30);
      steady += send(c, 1, i) ? 1 : 0;
    }
    expect(steady).toBeGreaterThanOrEqual(299);
    // Another connection has its own budget.
    expect(send(connect(), 2, 0)).toBe(true);
    expect(gate.dropped.rate).toBe(340 + (300 - steady));
  });

  it('ties a connection to the first client id it speaks for, and strips unknown fields', () => {
    const { gate, connect } = setup();
    const c1 = connect();
    const c2 = connect();
    const document = { getConnections: () => [c1, c2] } as unknown as Document;
    const states = new Map<number, Record<string, unknown>>([[7, { user: { name: 'A', color: '#fff' }, extra: 1 }]]);
    gate.filter(states, document, c1);
    expect(states.get(7)).toEqual({ user: { name: 'A', color: '#fff' } });
    const forged = new Map<number, Record<string, unknown>>([
      [7, { user: { name: 'B', color: '#fff' } }],
      [8, { user: { name: 'B', color: '#fff' } }],
    ]);
    gate.filter(forged, document, c2);
    // c2 may not take c1's id 7, claims 8; c1 may not add a second id.
    expect([...forged.keys()]).toEqual([8]);
    const second = new Map<number, Record<string, unknown>>([[9, { user: { name: 'A', color: '#fff' } }]]);
    gate.filter(second, document, c1);
    expect(second.size).toBe(0);
    expect(gate.dropped.foreign).toBe(2);
  });
});
