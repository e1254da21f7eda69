import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/token';
import { verifyToken } from '../../src/server/tokens';
import type { CliIO } from '../../src/cli/io';
import { Storage } from '../../src/server/storage';
import { tempDir } from './helpers';

function capture(): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    isTTY: false,
    out: (t: string) => void (io.stdout += t + '\n'),
    err: (t: string) => void (io.stderr += t + '\n'),
  };
  return io;
}

describe('wavegraph token', () => {
  const env = { WAVEGRAPH_SECRET: 's3cret', WAVEGRAPH_DATA: '/nonexistent-wavegraph-data' };

  it('prints an edit token, or a read-only one, that the server accepts for that room only', async () => {
    const io = capture();
    expect(await run(['--room', 'class-7'], io, env)).toBe(0);
    expect(verifyToken(io.stdout.trim(), 's3cret')).toEqual({ room: 'class-7', mode: 'edit' });
    expect(verifyToken(io.stdout.trim(), 'other')).toBeUndefined();
    const ro = capture();
    expect(await run(['--room', 'class-7', '--read-only'], ro, env)).toBe(0);
    expect(verifyToken(ro.stdout.trim(), 's3cret')).toEqual({ room: 'class-7', mode: 'read' });
  });

  it('expired tokens are refused', async () => {
    const io = capture();
    expect(await run(['--room', 'r1', '--expires', '1'], io, env)).toBe(0);
    const token = io.stdout.trim();
    expect(verifyToken(token, 's3cret')?.room).toBe('r1');
    expect(verifyToken(token, 's3cret', Date.now() + 2 * 3600 * 1000)).toBeUndefined();
  });

  it("signs with the room's current link epoch, so its links still work after the owner rotated them", async () => {
    const d = tempDir();
    try {
      const storage = new Storage(d.path);
      storage.createRoom('class-8', 'test');
      storage.rotateEpoch('class-8');
      storage.rotateEpoch('class-8');
      // The server keeps the database open meanwhile: the command only reads it.
      const io = capture();
      expect(await run(['--room', 'class-8'], io, { WAVEGRAPH_SECRET: 's3cret', WAVEGRAPH_DATA: d.path })).toBe(0);
      expect(verifyToken(io.stdout.trim(), 's3cret')?.epoch).toBe(storage.epoch('class-8'));
      expect(storage.epoch('class-8')).toBe(2);
      const unknown = capture();
      expect(
        await run(['--room', 'not-made-here'], unknown, { WAVEGRAPH_SECRET: 's3cret', WAVEGRAPH_DATA: d.path }),
      ).toBe(0);
      expect(verifyToken(unknown.stdout.trim(), 's3cret')?.epoch ?? 0).toBe(0);
      const forced = capture();
      expect(
        await run(['--room', 'class-8', '--epoch', '5'], forced, {
          WAVEGRAPH_SECRET: 's3cret',
          WAVEGRAPH_DATA: d.path,
        }),
      ).toBe(0);
      expect(verifyToken(forced.stdout.trim(), 's3cret')?.epoch).toBe(5);
      storage.close();
    } finally {
      d.remove();
    }
  });

  it('explains a missing room or secret', async () => {
    const io = capture();
    expect(await run([], io, env)).toBe(2);
    expect(io.stderr).toContain('--room is required');
    const bad = capture();
    expect(await run(['--room', '../etc'], bad, env)).toBe(2);
    const nosecret = capture();
    expect(await run(['--room', 'r1'], nosecret, { WAVEGRAPH_DATA: '/nonexistent-wavegraph-data' })).toBe(1);
    expect(nosecret.stderr).toContain('WAVEGRAPH_SECRET');
  });
});
