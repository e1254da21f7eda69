/**
 * Start the Wavegraph server from the environment:
 *   PORT (5173), HOST (all interfaces), WAVEGRAPH_DATA (./.wavegraph),
 *   WAVEGRAPH_SECRET (generated once and kept in the data folder when unset),
 *   WAVEGRAPH_REDIS_URL (several processes behind one address),
 *   WAVEGRAPH_FASHION_MNIST (the Fashion-MNIST folder), WAVEGRAPH_STATIC (the built app, ./dist),
 *   WAVEGRAPH_MAX_MESSAGE_BYTES, WAVEGRAPH_MAX_DOCUMENT_BYTES, WAVEGRAPH_MAX_CONNECTIONS_PER_ROOM,
 *   WAVEGRAPH_FSYNC=1 (also survive power cuts, one fsync per update).
 * Run with `npx tsx src/server/main.ts`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from './server';
import { dataDirFromEnv, loadSecret } from './secret';

const DEFAULT_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

function intFromEnv(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`${name} must be a positive whole number, got "${v}".`);
    process.exit(2);
  }
  return n;
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
  if (secret.origin === 'generated') {
    console.log(`No WAVEGRAPH_SECRET set: generated one and saved it in ${secret.file} (links stay valid across restarts; keep this file private).`);
  }
  const fashion = env.WAVEGRAPH_FASHION_MNIST || DEFAULT_FASHION_MNIST;
  const staticDir = resolve(env.WAVEGRAPH_STATIC || 'dist');
  const limits = {
    ...(intFromEnv('WAVEGRAPH_MAX_DOCUMENT_BYTES') ? { maxDocumentBytes: intFromEnv('WAVEGRAPH_MAX_DOCUMENT_BYTES') } : {}),
    ...(intFromEnv('WAVEGRAPH_MAX_CONNECTIONS_PER_ROOM') ? { maxConnectionsPerRoom: intFromEnv('WAVEGRAPH_MAX_CONNECTIONS_PER_ROOM') } : {}),
  };
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
      maxMessageBytes: intFromEnv('WAVEGRAPH_MAX_MESSAGE_BYTES'),
      synchronous: env.WAVEGRAPH_FSYNC === '1' ? 'FULL' : 'NORMAL',
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') console.error(`Port ${port} is already in use; set PORT to another one.`);
    else console.error(`The server could not start: ${err.message ?? err}`);
    process.exit(1);
  }
  console.log(`Wavegraph running at ${server.url} (collaboration at ${server.url.replace(/^http/, 'ws')}/collab, data in ${dataDir})`);
  if (!existsSync(staticDir)) console.log(`No built app in ${staticDir}: run \`npm run build\` to serve the editor from here.`);
  if (env.WAVEGRAPH_REDIS_URL) console.log('Redis: in sync with the other server processes on the same Redis.');
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
