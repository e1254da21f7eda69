/**
 * A bare websocket client speaking the Hocuspocus wire format by hand, so tests can
 * send what a well-behaved provider never would (no token, garbage, huge frames)
 * and see exactly what the server answers.
 */
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { webSocketClass } from './helpers';

export const MSG = { Sync: 0, Awareness: 1, Auth: 2, Close: 7, SyncStatus: 8 } as const;
const SYNC_UPDATE = 2;

export interface Reply {
  type: number;
  /** Auth: 'denied:<reason>' or 'ok:<scope>'; SyncStatus: 'saved' | 'refused'; Close: the reason; else ''. */
  summary: string;
}

type WS = {
  binaryType: string;
  readyState: number;
  send(d: Uint8Array): void;
  close(): void;
  addEventListener(t: string, f: (e: any) => void): void;
};

export class RawClient {
  readonly replies: Reply[] = [];
  /**
   * Set when the server ends this document connection: either the socket closes
   * (code from the close frame) or the server sends a Close message (code 0), which
   * ends the document connection while the multiplexed socket stays open.
   */
  closed: { code: number; reason: string } | undefined;
  private constructor(
    private readonly ws: WS,
    readonly room: string,
  ) {}

  static async open(wsUrl: string, room: string): Promise<RawClient> {
    const WebSocketImpl = (await webSocketClass()) as new (url: string) => WS;
    const ws = new WebSocketImpl(wsUrl);
    ws.binaryType = 'arraybuffer';
    const client = new RawClient(ws, room);
    ws.addEventListener('message', (e: { data: ArrayBuffer }) => client.onMessage(new Uint8Array(e.data)));
    ws.addEventListener(
      'close',
      (e: { code: number; reason: string }) => (client.closed = { code: e.code, reason: e.reason }),
    );
    await new Promise<void>((res, rej) => {
      ws.addEventListener('open', () => res());
      ws.addEventListener('error', (e: unknown) => rej(e));
    });
    return client;
  }

  private onMessage(data: Uint8Array): void {
    const d = decoding.createDecoder(data);
    decoding.readVarString(d);
    const type = decoding.readVarUint(d);
    let summary = '';
    if (type === MSG.Auth) {
      const sub = decoding.readVarUint(d);
      const text = decoding.readVarString(d);
      summary = sub === 1 ? `denied:${text}` : sub === 2 ? `ok:${text}` : `auth:${sub}`;
    } else if (type === MSG.Close) {
      summary = decoding.readVarString(d);
      this.closed ??= { code: 0, reason: summary };
    } else if (type === MSG.SyncStatus) {
      summary = decoding.readVarUint(d) === 1 ? 'saved' : 'refused';
    }
    this.replies.push({ type, summary });
  }

  private frame(write: (e: encoding.Encoder) => void): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, this.room);
    write(e);
    return encoding.toUint8Array(e);
  }

  sendRaw(bytes: Uint8Array): void {
    this.ws.send(bytes);
  }

  auth(token: string): void {
    this.sendRaw(
      this.frame((e) => {
        encoding.writeVarUint(e, MSG.Auth);
        encoding.writeVarUint(e, 0);
        encoding.writeVarString(e, token);
      }),
    );
  }

  /** A sync "update" message carrying `payload` as the Yjs update. */
  update(payload: Uint8Array): void {
    this.sendRaw(
      this.frame((e) => {
        encoding.writeVarUint(e, MSG.Sync);
        encoding.writeVarUint(e, SYNC_UPDATE);
        encoding.writeVarUint8Array(e, payload);
      }),
    );
  }

  /** An awareness message claiming `state` (null: gone) for `clientId` at `clock`. */
  awareness(clientId: number, clock: number, state: unknown): void {
    const u = encoding.createEncoder();
    encoding.writeVarUint(u, 1);
    encoding.writeVarUint(u, clientId);
    encoding.writeVarUint(u, clock);
    encoding.writeVarString(u, JSON.stringify(state));
    this.sendRaw(
      this.frame((e) => {
        encoding.writeVarUint(e, MSG.Awareness);
        encoding.writeVarUint8Array(e, encoding.toUint8Array(u));
      }),
    );
  }

  async waitReply(predicate: (r: Reply) => boolean, what: string, timeoutMs = 10_000): Promise<Reply> {
    const start = Date.now();
    for (;;) {
      const hit = this.replies.find(predicate);
      if (hit) return hit;
      if (this.closed) throw new Error(`connection closed (${this.closed.code} ${this.closed.reason}) before ${what}`);
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async waitClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    const start = Date.now();
    while (!this.closed) {
      if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the server to close the connection');
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.closed;
  }

  close(): void {
    this.ws.close();
  }
}
