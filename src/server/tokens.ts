/**
 * Share tokens: `<payload>.<signature>`, both base64url. The payload names the room,
 * the access mode, the room's link epoch, an optional expiry and a random nonce (two
 * links for the same room and mode differ); the signature is HMAC-SHA256 over the
 * payload text with the server secret, so the server needs no token table and a
 * script holding the secret can mint links (`wavegraph token`).
 *
 * Revocation: each room has an epoch (storage `rooms.epoch`, 0 at first). "Rotate
 * links" raises it, and a token whose epoch is not the room's current one is refused,
 * and its open sockets closed (rooms-extension.ts). A token without an epoch is epoch 0.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 'owner' may edit and also publish the room and list its forks. */
export type TokenMode = 'edit' | 'read' | 'owner';

export interface TokenClaims {
  room: string;
  mode: TokenMode;
  /** Expiry, Unix seconds. */
  exp?: number;
  /** The room's link epoch the token was made in; absent means 0. */
  epoch?: number;
}

const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isRoomId(id: unknown): id is string {
  return typeof id === 'string' && ROOM_ID.test(id);
}

function mac(secret: string, text: string): Buffer {
  return createHmac('sha256', secret).update(text).digest();
}

export function signToken(claims: TokenClaims, secret: string): string {
  if (!isRoomId(claims.room)) throw new Error(`Not a room id: ${JSON.stringify(claims.room)}`);
  const body: Record<string, unknown> = { r: claims.room, m: claims.mode };
  if (claims.exp !== undefined) body.e = claims.exp;
  if (claims.epoch) body.v = claims.epoch;
  body.n = randomBytes(6).toString('base64url');
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** The claims of a well-signed, unexpired token; undefined for anything else. */
export function verifyToken(token: unknown, secret: string, nowMs = Date.now()): TokenClaims | undefined {
  if (typeof token !== 'string' || token.length > 1000) return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let body: { r?: unknown; m?: unknown; e?: unknown; v?: unknown };
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isRoomId(body.r) || (body.m !== 'edit' && body.m !== 'read' && body.m !== 'owner')) return undefined;
  if (body.e !== undefined && (typeof body.e !== 'number' || body.e * 1000 <= nowMs)) return undefined;
  if (body.v !== undefined && !(Number.isInteger(body.v) && (body.v as number) > 0)) return undefined;
  return {
    room: body.r,
    mode: body.m,
    ...(typeof body.e === 'number' ? { exp: body.e } : {}),
    ...(typeof body.v === 'number' ? { epoch: body.v } : {}),
  };
}
