/**
 * Admission to a room, at the hook: logins that were authenticated but have not yet
 * joined (the document still loading, say) count toward the room's connection limit,
 * so a burst of simultaneous logins cannot pass the limit together. On loopback a
 * whole login often completes before the next arrives (revocation.test.ts checks the
 * server end to end); here the window between the two is held open on purpose.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { onAuthenticatePayload } from '@hocuspocus/server';
import { RoomsExtension, DEFAULT_LIMITS } from '../../src/server/rooms-extension';
import { Storage } from '../../src/server/storage';
import { signToken } from '../../src/server/tokens';
import { tempDir } from './helpers';

const SECRET = 'x'.repeat(48);
const ROOM = 'admission-room-0001';
const dirs: ReturnType<typeof tempDir>[] = [];

afterEach(() => {
  while (dirs.length) dirs.pop()!.remove();
});

function setup(max: number) {
  const d = tempDir();
  dirs.push(d);
  const storage = new Storage(d.path);
  storage.createRoom(ROOM, 'test');
  const rooms = new RoomsExtension(storage, SECRET, { ...DEFAULT_LIMITS, maxConnectionsPerRoom: max });
  // No connection has joined yet: the document is not even loaded.
  const instance = { documents: new Map() } as unknown as onAuthenticatePayload['instance'];
  const login = () =>
    rooms
      .onAuthenticate({
        token: signToken({ room: ROOM, mode: 'edit' }, SECRET),
        documentName: ROOM,
        connectionConfig: { readOnly: false, isAuthenticated: false },
        instance,
      } as unknown as onAuthenticatePayload)
      .then(
        () => 'admitted',
        (e: { reason?: string }) => e.reason ?? 'error',
      );
  return { rooms, storage, login };
}

describe('room admission', () => {
  it('admits no more simultaneous logins than the room allows, before any of them has joined', async () => {
    const { rooms, storage, login } = setup(4);
    const answers = await Promise.all(Array.from({ length: 10 }, login));
    expect(answers.filter((a) => a === 'admitted')).toHaveLength(4);
    expect(answers.filter((a) => a === 'room-full')).toHaveLength(6);
    // Once admitted logins join, their places are counted as connections instead.
    for (let i = 0; i < 4; i++) await rooms.connected({ documentName: ROOM } as never);
    await rooms.onDestroy();
    storage.close();
  });
});
