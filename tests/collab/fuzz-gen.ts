/**
 * Seeded generators for fuzzing the server with what a hostile or broken client could
 * send: presence states and shared-document parts, mostly near the real shapes (so
 * they reach deep into the checks) and sometimes anything at all.
 */
import * as Y from 'yjs';

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed from its seed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)], chance: (p: number) => next() < p };
}
export type Rng = ReturnType<typeof rng>;

const NUMBERS = [0, -1, 1, 0.5, 1e308, -1e308, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, -0];
const STRINGS = [
  '',
  'n1',
  'a'.repeat(300),
  '#fff',
  'red',
  '<img src=x onerror=alert(1)>',
  '__proto__',
  'constructor',
  '\u0000',
  '😀',
];

export function anyValue(r: Rng, depth = 0): unknown {
  const roll = r.int(depth > 2 ? 4 : 7);
  if (roll === 0) return r.pick(NUMBERS);
  if (roll === 1) return r.pick(STRINGS);
  if (roll === 2) return r.chance(0.5);
  if (roll === 3) return null;
  if (roll === 4) return Array.from({ length: r.int(5) }, () => anyValue(r, depth + 1));
  // (No own `constructor` key: Yjs cannot store such an object, so no client could send it.)
  if (roll === 5)
    return Object.fromEntries(
      Array.from({ length: r.int(4) }, () => [
        r.pick(['x', 'y', 'id', 'zoom', 'step', 'name', '__proto__', '']),
        anyValue(r, depth + 1),
      ]),
    );
  return { x: anyValue(r, depth + 1), y: anyValue(r, depth + 1) };
}

/** A well-formed presence state; fields are then broken one by one. */
function validPresence(r: Rng): Record<string, unknown> {
  return {
    user: { name: `fuzz ${r.int(100)}`, color: '#ff6b6b' },
    cursor: { x: r.int(1000), y: r.int(1000) },
    selection: ['n1', 'n2'].slice(0, r.int(3)),
    dragging: r.chance(0.5) ? { id: 'n1', x: 1, y: 2 } : null,
    editing: r.chance(0.5) ? 'n1' : null,
    viewport: { x: 0, y: 0, zoom: 1 },
    run: r.chance(0.3)
      ? {
          label: 'run',
          docVersion: 'abc',
          phase: 'training',
          series: {
            step: [1, 2],
            loss: [0.5, 0.4],
            trainAcc: [0.1, 0.2],
            testAcc: [null, 0.3],
            samplesPerSec: [10, 11],
          },
        }
      : null,
  };
}

export function presenceState(r: Rng): unknown {
  if (r.chance(0.1)) return anyValue(r);
  const s = validPresence(r);
  const keys = [...Object.keys(s), 'extra'];
  for (let i = r.int(3); i > 0; i--) {
    const k = r.pick(keys);
    if (k === 'run' && r.chance(0.5)) s.run = { label: anyValue(r), series: { step: anyValue(r), loss: [1] } };
    else if (k === 'user' && r.chance(0.5)) s.user = { name: anyValue(r), color: anyValue(r) };
    else s[k] = anyValue(r);
  }
  return s;
}

/** A Yjs update, from an unrelated client, that writes one random part of the shared document. */
export function documentPart(r: Rng): Uint8Array {
  const d = new Y.Doc();
  const nodes = d.getMap<unknown>('nodes');
  const edges = d.getMap<unknown>('edges');
  const meta = d.getMap<unknown>('meta');
  // Never n1: the tests check that editing n1 keeps working (overwriting a node is any editor's right).
  const id = r.pick(['n2', 'fuzz', `f${r.int(50)}`]);
  const roll = r.int(8);
  if (roll === 0)
    meta.set(
      'groups',
      r.chance(0.5) ? [anyValue(r), { id: 'g', type: 'LISTA', params: { steps: anyValue(r) } }] : anyValue(r),
    );
  else if (roll === 1) {
    const t = new Y.Map<unknown>();
    t.set(r.pick(['epochs', 'batchSize', 'learningRate', 'optimizer', 'dataset', 'evil']), anyValue(r));
    meta.set('training', r.chance(0.8) ? t : anyValue(r));
  } else if (roll === 2) meta.set(r.pick(['name', 'description', 'version']), anyValue(r));
  else if (roll === 3) nodes.set(id, anyValue(r));
  else if (roll === 4) {
    const m = new Y.Map<unknown>();
    m.set('type', r.chance(0.6) ? r.pick(['Dense', 'Conv2D', 'Input']) : anyValue(r));
    // Well-formed ones far left of the view, so they do not cover what the editors click.
    m.set('position', r.chance(0.6) ? { x: r.int(500) - 3000, y: r.int(500) } : anyValue(r));
    const params = new Y.Map<unknown>();
    params.set(r.pick(['units', 'filters', 'kernel']), anyValue(r));
    m.set('params', r.chance(0.8) ? params : anyValue(r));
    if (r.chance(0.3)) m.set(r.pick(['label', 'group', 'typeVersion']), anyValue(r));
    nodes.set(id, m);
  } else if (roll === 5) {
    const m = new Y.Map<unknown>();
    for (const k of ['source', 'sourcePort', 'target', 'targetPort'])
      m.set(k, r.chance(0.7) ? r.pick(['n1', 'n2', 'out', 'in']) : anyValue(r));
    edges.set(r.pick(['n2:in', 'e-fuzz', id]), m);
  } else if (roll === 6) edges.set(id, anyValue(r));
  else d.getMap<unknown>(r.pick(['presence', 'other'])).set('x', anyValue(r));
  const update = Y.encodeStateAsUpdate(d);
  d.destroy();
  return update;
}
