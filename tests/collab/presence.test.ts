import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { Presence } from '../../src/collab/presence';

describe('presence', () => {
  afterEach(() => vi.useRealTimers());

  it('publishes at most 30 messages per second however fast the pointer moves', () => {
    vi.useFakeTimers();
    const awareness = new Awareness(new Y.Doc());
    let updates = 0;
    awareness.on('update', () => updates++);
    const p = new Presence(awareness, { name: 'Ada', color: '#f00' }, { now: () => Date.now() });
    const first = updates;
    // 1,000 pointer moves spread over one simulated second.
    for (let i = 0; i < 1000; i++) {
      p.setCursor({ x: i, y: i });
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    expect(updates - first).toBeLessThanOrEqual(31);
    expect(updates - first).toBeGreaterThan(20);
    // the last position is the one published
    expect((awareness.getLocalState() as { cursor: unknown }).cursor).toEqual({ x: 999, y: 999 });
  });

  it("reads other people's states and who is editing a node", () => {
    const a = new Awareness(new Y.Doc());
    const b = new Awareness(new Y.Doc());
    const pa = new Presence(a, { name: 'Ada', color: '#f00' });
    const pb = new Presence(b, { name: 'Bob', color: '#00f' });
    pb.setEditing('n3');
    pb.flush();
    applyAwarenessUpdate(a, encodeAwarenessUpdate(b, [b.clientID]), 'net');
    // a malformed state from a third client is ignored
    const c = new Awareness(new Y.Doc());
    c.setLocalState({ user: 42 });
    applyAwarenessUpdate(a, encodeAwarenessUpdate(c, [c.clientID]), 'net');
    expect(pa.peers().map((p) => p.user.name)).toEqual(['Bob']);
    expect(pa.editorsOf('n3').map((p) => p.user.name)).toEqual(['Bob']);
    expect(pa.editorsOf('n1')).toEqual([]);
  });

  it('hands components only states that match the schema, with unknown fields stripped', () => {
    const a = new Awareness(new Y.Doc());
    const pa = new Presence(a, { name: 'Ada', color: '#f00' });
    const from = (state: unknown) => {
      const other = new Awareness(new Y.Doc());
      other.setLocalState(state as Record<string, unknown>);
      applyAwarenessUpdate(a, encodeAwarenessUpdate(other, [other.clientID]), 'net');
    };
    from({ user: { name: 'Mallory', color: '#000' }, selection: 5, run: { label: 'x' } });
    from({
      user: { name: 'Run', color: '#000' },
      run: {
        label: 'x',
        docVersion: 'v',
        phase: 'training',
        series: { step: [1], loss: [1, 2], trainAcc: [], testAcc: [], samplesPerSec: [] },
      },
    });
    from({ user: { name: 'Style', color: 'red;background:url(x)' } });
    from({ user: { name: 'Good', color: '#0f0' }, cursor: { x: 1, y: 2 }, selection: ['n1'], secret: 'dropped' });
    const peers = pa.peers();
    expect(peers.map((p) => p.user.name)).toEqual(['Good']);
    expect(peers[0]).not.toHaveProperty('secret');
    expect(peers[0].selection).toEqual(['n1']);
  });
});
