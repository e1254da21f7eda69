/**
 * The token-signing secret: WAVEGRAPH_SECRET when set, else one generated once and
 * kept in the data directory, so links stay valid across restarts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Shorter secrets can be guessed offline from any one token. */
export const MIN_SECRET_BYTES = 32;
export const MAKE_SECRET_COMMAND = `node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`;

/** Why a secret is too weak (a one-line fix), or undefined when it is strong enough. */
export function weakSecret(source: SecretSource): string | undefined {
  const bytes = Buffer.byteLength(source.secret);
  if (bytes >= MIN_SECRET_BYTES) return undefined;
  const where = source.origin === 'env' ? 'WAVEGRAPH_SECRET' : `the secret in ${source.file}`;
  return `${where} is ${bytes} bytes; it must be at least ${MIN_SECRET_BYTES}. Make one with: export WAVEGRAPH_SECRET=$(${MAKE_SECRET_COMMAND})`;
}

export const DEFAULT_DATA_DIR = '.wavegraph';

export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.WAVEGRAPH_DATA || DEFAULT_DATA_DIR);
}

export interface SecretSource {
  secret: string;
  /** Where it came from, for a one-line note at start-up. */
  origin: 'env' | 'file' | 'generated';
  file?: string;
}

export function loadSecret(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
  create = true,
): SecretSource | undefined {
  if (env.WAVEGRAPH_SECRET) return { secret: env.WAVEGRAPH_SECRET, origin: 'env' };
  const file = join(dataDir, 'secret');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret) return { secret, origin: 'file', file };
  }
  if (!create) return undefined;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  // Written whole under a private name, then linked into place: linking fails if the
  // file exists, so of two servers starting at once exactly one secret wins, and the
  // other reads it, never a half-written file.
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temp, secret + '\n', { mode: 0o600 });
  try {
    linkSync(temp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return { secret: readFileSync(file, 'utf8').trim(), origin: 'file', file };
  } finally {
    rmSync(temp, { force: true });
  }
  return { secret, origin: 'generated', file };
}
