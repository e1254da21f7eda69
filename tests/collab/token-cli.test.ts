import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/token';
import { verifyToken } from '../../src/server/tokens';
import type { CliIO } from '../../src/cli/io';

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
