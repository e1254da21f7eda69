import { describe, expect, it } from 'vitest';
import { roomFromUrl, roomLink, tokenMode } from './api';
import { documentHash } from './ShareRun';

const token = (payload: object) =>
  `${btoa(JSON.stringify(payload)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}.signature`;

describe('room links and tokens', () => {
  it('reads the mode a token was issued for', () => {
    expect(tokenMode(token({ r: 'abc', m: 'read' }))).toBe('read');
    expect(tokenMode(token({ r: 'abc', m: 'owner' }))).toBe('owner');
    expect(tokenMode(token({ r: 'abc', m: 'admin' }))).toBeUndefined();
    expect(tokenMode('garbage')).toBeUndefined();
  });

  it('round-trips a room link through the address bar', () => {
    const t = token({ r: 'r1', m: 'edit' });
    const url = new URL(roomLink('r1', t, { origin: 'http://host:5173', pathname: '/' }));
    // The token travels in the fragment, which browsers never send to a server.
    expect(url.search).toBe('');
    expect(roomFromUrl(url.hash)).toEqual({ id: 'r1', token: t });
    expect(roomFromUrl('?room=r1')).toBeUndefined();
    // Links made before still open.
    expect(roomFromUrl(`?room=r1&token=${t}`)).toEqual({ id: 'r1', token: t });
  });

  it('tells two versions of a document apart and recognises the same one', () => {
    expect(documentHash('{"nodes":[]}')).toBe(documentHash('{"nodes":[]}'));
    expect(documentHash('{"nodes":[]}')).not.toBe(documentHash('{"nodes":[1]}'));
    expect(documentHash('x')).toMatch(/^[0-9a-f]{8}$/);
  });
});
