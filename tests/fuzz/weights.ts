/**
 * Weights files for the fuzz tests: a weights.json manifest and a weights.bin blob as
 * encodeWeights writes them, then truncated, padded, mismatched with another blob, or
 * with a manifest that lies about shapes, offsets and lengths.
 */
import { encodeWeights, type NamedArray } from '../../src/platform/weights';
import { oddValue, type Rng } from './rng';

export interface WeightsCase {
  manifest: string;
  bin: Uint8Array;
  bad: boolean;
  /** The arrays an untouched file must give back. */
  expect?: NamedArray[];
  steps: string[];
}

type Raw = Record<string, any>;

function arrays(g: Rng): NamedArray[] {
  return Array.from({ length: g.int(1, 6) }, (_, i) => {
    const shape = Array.from({ length: g.int(1, 4) }, () => g.int(1, 6));
    const n = shape.reduce((a, b) => a * b, 1);
    return {
      key: `node${i}/${g.pick(['kernel', 'bias', 'filters'])}`,
      shape,
      data: Float32Array.from({ length: n }, () => g.next() * 2 - 1),
    };
  });
}

const MANIFEST_LIES: [string, (m: Raw, g: Rng) => void][] = [
  ['format', (m, g) => void (m.format = g.pick(['other', null, 1]))],
  ['tensors', (m, g) => void (m.tensors = g.pick([null, [], 3, 'x']))],
  ['entry', (m, g) => void (m.tensors[g.pick(Object.keys(m.tensors))] = oddValue(g))],
  [
    'shape',
    (m, g) =>
      void (m.tensors[g.pick(Object.keys(m.tensors))].shape = g.pick([
        [-1, -2],
        [NaN],
        'x',
        [1e20, 1e20],
        [2.5],
        null,
        [0],
      ])),
  ],
  [
    'offset',
    (m, g) => void (m.tensors[g.pick(Object.keys(m.tensors))].offset = g.pick([-4, 1e12, NaN, '0', 0.5, 2 ** 60])),
  ],
  ['length', (m, g) => void (m.tensors[g.pick(Object.keys(m.tensors))].length = g.pick([-1, 1e9, 7.5, null]))],
];

export function weightsCase(g: Rng): WeightsCase {
  const original = arrays(g);
  const { manifest, bin } = encodeWeights(original, 'fuzz');
  const m: Raw = structuredClone(manifest);
  const kind = g.pick([
    'valid',
    'valid',
    'truncate-bin',
    'odd-bin',
    'pad-bin',
    'other-bin',
    'lie',
    'truncate-json',
    'not-json',
    'long-key',
  ]);
  switch (kind) {
    case 'valid':
      return { manifest: JSON.stringify(m), bin, bad: false, expect: original, steps: [kind] };
    case 'truncate-bin':
      // Every tensor has at least one value and they are packed end to end, so any cut loses data.
      return { manifest: JSON.stringify(m), bin: bin.slice(0, g.int(0, bin.length - 1)), bad: true, steps: [kind] };
    case 'odd-bin':
      return {
        manifest: JSON.stringify(m),
        bin: Uint8Array.from([...bin, ...Array.from({ length: g.int(1, 3) }, () => 7)]),
        bad: true,
        steps: [kind],
      };
    case 'pad-bin':
      return {
        manifest: JSON.stringify(m),
        bin: Uint8Array.from([...bin, ...new Uint8Array(4 * g.int(1, 16))]),
        bad: false,
        steps: [kind],
      };
    case 'other-bin':
      return { manifest: JSON.stringify(m), bin: encodeWeights(arrays(g)).bin, bad: false, steps: [kind] };
    case 'lie': {
      const [name, lie] = g.pick(MANIFEST_LIES);
      lie(m, g);
      return { manifest: JSON.stringify(m), bin, bad: true, steps: [kind, name] };
    }
    case 'truncate-json': {
      const text = JSON.stringify(m);
      return { manifest: text.slice(0, g.int(0, text.length - 1)), bin, bad: true, steps: [kind] };
    }
    case 'not-json':
      return {
        manifest: g.pick(['', 'null', '[]', '"weights"', '{"format":"wavegraph-weights"}']),
        bin,
        bad: true,
        steps: [kind],
      };
    default: {
      const key = 'k'.repeat(g.int(1000, 100_000));
      m.tensors = { [key]: Object.values(m.tensors)[0] };
      return { manifest: JSON.stringify(m), bin, bad: false, steps: [kind] };
    }
  }
}
