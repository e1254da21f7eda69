/**
 * Share links for the fuzz tests: links made from templates and from mutated
 * documents (deflated exactly as encodeShare does), then cut short, garbled, or
 * replaced with deflate bombs and other payloads that are not a graph.
 */
import { deflateRawSync } from 'node:zlib';
import { SHARE_PREFIX, MAX_SHARE_BYTES, toBase64Url } from '../../src/app/files/share';
import { saveDocument } from '../../document/graph';
import { deflateBomb } from './deflate-bomb';
import { documentCase, TEMPLATES } from './documents';
import type { Rng } from './rng';

export interface LinkCase {
  hash: string;
  /** Surely refused: no document may come out (or the one that does must fail analysis). */
  bad: boolean;
  /** The template this link must give back exactly, when untouched. */
  expect?: string;
  /** A deflate bomb: it must be refused for its size. */
  bomb: boolean;
  steps: string[];
}

const link = (bytes: Uint8Array) => SHARE_PREFIX + toBase64Url(bytes);
const deflate = (text: string) => new Uint8Array(deflateRawSync(Buffer.from(text, 'utf8')));

/** Every `bombEvery`-th case is a bomb: each one must unpack 8 MiB before it is refused, so they are few. */
export function linkCase(g: Rng, bombEvery: boolean): LinkCase {
  if (bombEvery) {
    const size = g.pick([MAX_SHARE_BYTES + 1, 16 * 2 ** 20, 64 * 2 ** 20]);
    return { hash: link(deflateBomb(size)), bad: true, bomb: true, steps: [`bomb ${size} bytes`] };
  }
  const kind = g.int(0, 9);
  if (kind <= 3) {
    const t = g.pick(TEMPLATES);
    const text = saveDocument(t);
    const hash = link(deflate(text));
    const damage = g.pick(['none', 'none', 'truncate', 'garble', 'bad-char', 'no-prefix']);
    if (damage === 'none') return { hash, bad: false, expect: text, bomb: false, steps: [`template ${t.name}`] };
    if (damage === 'no-prefix')
      return {
        hash: '#' + hash.slice(SHARE_PREFIX.length),
        bad: false,
        expect: text,
        bomb: false,
        steps: ['no prefix'],
      };
    if (damage === 'truncate') {
      // A deflate stream cut short is refused as damaged; cutting only the base64 padding bits may still decode.
      const cut = g.int(SHARE_PREFIX.length, hash.length - 4);
      return { hash: hash.slice(0, cut), bad: true, bomb: false, steps: [`truncate at ${cut}`] };
    }
    if (damage === 'bad-char') {
      const at = g.int(SHARE_PREFIX.length, hash.length - 1);
      return {
        hash: hash.slice(0, at) + g.pick(['!', '%', ' ', '=', '/', '+', 'é']) + hash.slice(at + 1),
        bad: true,
        bomb: false,
        steps: ['bad char'],
      };
    }
    const at = g.int(SHARE_PREFIX.length, hash.length - 1);
    const ch = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[g.int(0, 63)];
    return { hash: hash.slice(0, at) + ch + hash.slice(at + 1), bad: false, bomb: false, steps: ['garble'] };
  }
  if (kind <= 7) {
    // A mutated document, packed the way the app packs one.
    const c = documentCase(g, true);
    const text = typeof c.input === 'string' ? c.input : JSON.stringify(c.input);
    return { hash: link(deflate(text)), bad: c.bad, bomb: false, steps: ['document', ...c.steps] };
  }
  const payload = g.pick(['random', 'empty', 'not-utf8', 'not-json', 'json-array', 'trailing']);
  switch (payload) {
    case 'random':
      return {
        hash: link(Uint8Array.from({ length: g.int(1, 400) }, () => g.int(0, 255))),
        bad: true,
        bomb: false,
        steps: [payload],
      };
    case 'empty':
      return { hash: SHARE_PREFIX, bad: true, bomb: false, steps: [payload] };
    case 'not-utf8':
      return {
        hash: link(new Uint8Array(deflateRawSync(Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x7b])))),
        bad: true,
        bomb: false,
        steps: [payload],
      };
    case 'not-json':
      return { hash: link(deflate(g.word())), bad: true, bomb: false, steps: [payload] };
    case 'json-array':
      return { hash: link(deflate('[1,2,3]')), bad: true, bomb: false, steps: [payload] };
    default: {
      const bytes = deflate(saveDocument(g.pick(TEMPLATES)));
      return {
        hash: link(Uint8Array.from([...bytes, ...Array.from({ length: g.int(1, 20) }, () => g.int(0, 255))])),
        bad: false,
        bomb: false,
        steps: [payload],
      };
    }
  }
}
