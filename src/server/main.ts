/**
 * Start the Wavegraph server from the environment (every variable is described in
 * src/server/README.md):
 *   PORT (5173), HOST (all interfaces), WAVEGRAPH_DATA (./.wavegraph),
 *   WAVEGRAPH_SECRET (at least 32 bytes; generated once and kept in the data folder when unset),
 *   WAVEGRAPH_REDIS_URL (several processes behind one address),
 *   WAVEGRAPH_FASHION_MNIST (the Fashion-MNIST folder), WAVEGRAPH_STATIC (the built app, ./dist),
 *   WAVEGRAPH_MAX_MESSAGE_BYTES, WAVEGRAPH_MAX_DOCUMENT_BYTES, WAVEGRAPH_MAX_CONNECTIONS_PER_ROOM,
 *   WAVEGRAPH_MAX_PENDING_BYTES, WAVEGRAPH_PRESENCE_PER_SECOND,
 *   WAVEGRAPH_FSYNC=0 (fsync less: survive a killed process but not a power cut),
 *   WAVEGRAPH_BUSY_TIMEOUT_MS, WAVEGRAPH_MAX_DATABASE_BYTES, WAVEGRAPH_CREATE_KEY, WAVEGRAPH_ROOMS_PER_ADDRESS_PER_HOUR,
 *   WAVEGRAPH_ROOMS_PER_HOUR, WAVEGRAPH_MAX_ROOMS, WAVEGRAPH_SNAPSHOT_SECONDS, WAVEGRAPH_SNAPSHOTS_KEPT.
 * Run with `npx tsx src/server/main.ts`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from './server';
import { dataDirFromEnv, loadSecret, weakSecret } from './secret';

const DEFAULT_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

function intFromEnv(name: string, min = 1): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    console.error(`${name} must be a whole number of at least ${min}, got "${v}".`);
    process.exit(2);
  }
  return n;
}

/** The options named in the environment, leaving out those not set. */
function setOnly<T extends Record<string, number | undefined>>(o: T): Partial<Record<keyof T, number>> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<Record<keyof T, number>>;
}

async function main(): Promise<void> {
  const env = process.env;
  const port = env.PORT === undefined || env.PORT === '' ? 5173 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a port number, got "${env.PORT}".`);
    process.exit(2);
  }
  const dataDir = dataDirFromEnv(env);
  const secret = loadSecret(dataDir, env)!;
  const weak = weakSecret(secret);
  if (weak) {
    console.error(weak);
    process.exit(2);
  }
  if (secret.origin === 'generated') {
    console.log(
      `No WAVEGRAPH_SECRET set: generated one and saved it in ${secret.file} (links stay valid across restarts; keep this file private).`,
    );
  }
  const fashion = env.WAVEGRAPH_FASHION_MNIST || DEFAULT_FASHION_MNIST;
  const staticDir = resolve(env.WAVEGRAPH_STATIC || 'dist');
  const limits = setOnly({
    maxDocumentBytes: intFromEnv('WAVEGRAPH_MAX_DOCUMENT_BYTES'),
    maxConnectionsPerRoom: intFromEnv('WAVEGRAPH_MAX_CONNECTIONS_PER_ROOM'),
    maxPendingBytes: intFromEnv('WAVEGRAPH_MAX_PENDING_BYTES'),
    presencePerSecond: intFromEnv('WAVEGRAPH_PRESENCE_PER_SECOND'),
  });
  const quotas = setOnly({
    perAddressPerHour: intFromEnv('WAVEGRAPH_ROOMS_PER_ADDRESS_PER_HOUR'),
    globalPerHour: intFromEnv('WAVEGRAPH_ROOMS_PER_HOUR'),
    maxRooms: intFromEnv('WAVEGRAPH_MAX_ROOMS'),
  });
  const snapshotSeconds = intFromEnv('WAVEGRAPH_SNAPSHOT_SECONDS', 0);
  const history = setOnly({
    intervalMs: snapshotSeconds === undefined ? undefined : snapshotSeconds * 1000,
    keep: intFromEnv('WAVEGRAPH_SNAPSHOTS_KEPT'),
  });
  let server;
  try {
    server = await createServer({
      port,
      host: env.HOST || undefined,
      dataDir,
      secret: secret.secret,
      staticDir: existsSync(staticDir) ? staticDir : undefined,
      datasetDirs: existsSync(fashion) ? { 'fashion-mnist': fashion } : {},
      redisUrl: env.WAVEGRAPH_REDIS_URL || undefined,
      limits,
      quotas,
      history,
      createKey: env.WAVEGRAPH_CREATE_KEY || undefined,
      trustProxyHops: intFromEnv('WAVEGRAPH_TRUST_PROXY', 0),
      maxMessageBytes: intFromEnv('WAVEGRAPH_MAX_MESSAGE_BYTES'),
      synchronous: env.WAVEGRAPH_FSYNC === '0' ? 'NORMAL' : 'FULL',
      busyTimeoutMs: intFromEnv('WAVEGRAPH_BUSY_TIMEOUT_MS', 0),
      maxDatabaseBytes: intFromEnv('WAVEGRAPH_MAX_DATABASE_BYTES'),
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') console.error(`Port ${port} is already in use; set PORT to another one.`);
    else console.error(`The server could not start: ${err.message ?? err}`);
    process.exit(1);
  }
  console.log(
    `Wavegraph running at ${server.url} (collaboration at ${server.url.replace(/^http/, 'ws')}/collab, data in ${dataDir})`,
  );
  if (!existsSync(staticDir))
    console.log(`No built app in ${staticDir}: run \`npm run build\` to serve the editor from here.`);
  if (env.WAVEGRAPH_REDIS_URL) console.log('Redis: in sync with the other server processes on the same Redis.');
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
