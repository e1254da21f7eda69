/**
 * The token-signing secret: WAVEGRAPH_SECRET when set, else one generated once and
 * kept in the data directory, so links stay valid across restarts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

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

export function loadSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env, create = true): SecretSource | undefined {
  if (env.WAVEGRAPH_SECRET) return { secret: env.WAVEGRAPH_SECRET, origin: 'env' };
  const file = join(dataDir, 'secret');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret) return { secret, origin: 'file', file };
  }
  if (!create) return undefined;
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return { secret, origin: 'generated', file };
}
