/** The frozen front end's outputs, cached on disk between runs of the CLI. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureCache } from '../../compiler/feature-bank';

export function diskFeatureCache(
  dir = process.env.WAVEGRAPH_CACHE ?? join(process.cwd(), '.wavegraph', 'cache'),
): FeatureCache {
  const file = (key: string) => join(dir, createHash('sha256').update(key).digest('hex').slice(0, 32) + '.f32');
  return {
    async get(key) {
      const f = file(key);
      if (!existsSync(f)) return undefined;
      const b = readFileSync(f);
      return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    },
    async set(key, data) {
      mkdirSync(dir, { recursive: true });
      const f = file(key);
      const tmp = `${f}.${process.pid}.tmp`;
      writeFileSync(tmp, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      renameSync(tmp, f);
    },
  };
}
