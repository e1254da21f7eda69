import { diag } from '../../document/diagnostics';
import { WEIGHT_PARAM } from './moments';
import { defineNode, type TF, type Tensor, type TensorSpec } from '../types';
import { expectKind, expectRank, fail, isDiagnostic, ok, one } from '../shapes';
import { meanOver } from './mean-ops';

export const PAIR_RULES = ['all', 'same-orientation'] as const;

/** How many groups the channels are split into: L for same-orientation, else one. */
function groupsOf(rule: string, L: number): number {
  return rule === 'same-orientation' ? L : 1;
}

const channels = (s: TensorSpec) => (s.kind === 'complex' ? s.shape[2] / 2 : s.shape[2]);

/**
 * Centred channels of a [B, H, W, C(·2)] map, as [B, G, HW, C/G] real and imaginary
 * parts (imaginary null when real), channel c = q·G + g going to group g. Pairs are
 * then one batched matrix product per group; selecting pairs after a full product
 * would need a gather, whose gradient the WASM backend lacks.
 */
function centred(tf: TF, x: Tensor, complex: boolean, groups: number): [Tensor, Tensor | null] {
  const [b, h, w, c] = x.shape as number[];
  const flat = tf.reshape(x, [b, h * w, c]);
  const z = tf.sub(flat, meanOver(tf, flat, [1], true));
  const parts = complex ? tf.split(z, 2, 2) : [z];
  const grouped = parts.map((t) => {
    const cc = t.shape[2] as number;
    return groups === 1
      ? tf.reshape(t, [b, 1, h * w, cc])
      : tf.transpose(tf.reshape(t, [b, h * w, cc / groups, groups]), [0, 3, 1, 2]);
  });
  return [grouped[0], grouped[1] ?? null];
}

/**
 * Aᵀ B / n of [B, n, Ka] and [B, n, Kb] -> [B, Ka, Kb]. The gradients are written as plain
 * products of the large maps with the small result (dA = B dCᵀ, dB = A dC): the
 * engine's own would multiply by the transposed large maps, the slow kind on WASM.
 */
function gram(tf: TF, a: Tensor, b: Tensor, n: number): Tensor {
  const op = tf.customGrad((...args) => {
    const [ai, bi, save] = args as [Tensor, Tensor, (ts: Tensor[]) => void];
    save([ai, bi]);
    return {
      value: tf.div(tf.matMul(tf.transpose(ai, [0, 2, 1]), bi), n),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [as, bs] = saved;
        const d = tf.div(dy, n);
        return [tf.matMul(bs, tf.transpose(d, [0, 2, 1])), tf.matMul(as, d)];
      },
    };
  });
  return op(a, b) as Tensor;
}

/**
 * Pairs "all" in one product: each map is read as a real matrix [HW, K] (for a complex
 * map the real parts, then the imaginary parts), the product Aᵀ B holds every pair of
 * real columns, and the complex covariances are sums of its blocks:
 * Re = rr + ii, Im = ir − ri. The means come off the small product (E[ab] − E[a] E[b])
 * rather than off the maps. Splitting a map into real and imaginary parts, then
 * centring and regrouping it, copied it several times with strides, which on WASM took
 * longer than the products.
 */
function allPairs(tf: TF, a: Tensor, b: Tensor, ca: boolean, cb: boolean, normalize: boolean): Tensor {
  const [B, h, w, Ka] = a.shape as number[];
  const Kb = b.shape[3] as number;
  const n = h * w;
  const A = tf.reshape(a, [B, n, Ka]);
  const Bm = tf.reshape(b, [B, n, Kb]);
  const ma = meanOver(tf, A, [1]);
  const mb = meanOver(tf, Bm, [1]);
  const C = tf.sub(gram(tf, A, Bm, n), tf.mul(tf.expandDims(ma, 2), tf.expandDims(mb, 1))); // [B, Ka, Kb]
  const Ca = ca ? Ka / 2 : Ka;
  const Cb = cb ? Kb / 2 : Kb;
  const block = (i: number, j: number) => tf.slice(C, [0, i * Ca, j * Cb], [-1, Ca, Cb]);
  // a·conj(b) = (ar + i ai)(br − i bi)
  let re = ca && cb ? tf.add(block(0, 0), block(1, 1)) : block(0, 0);
  let im = ca && cb ? tf.sub(block(1, 0), block(0, 1)) : ca ? block(1, 0) : cb ? tf.neg(block(0, 1)) : null;
  if (normalize) {
    // variance per real column; rounding can leave a constant column slightly below 0
    const power = (X: Tensor, m: Tensor, complex: boolean, c: number) => {
      const v = tf.relu(tf.sub(meanOver(tf, tf.square(X), [1]), tf.square(m)));
      return complex ? tf.add(tf.slice(v, [0, 0], [-1, c]), tf.slice(v, [0, c], [-1, c])) : v;
    };
    const pa = power(A, ma, ca, Ca);
    const pb = power(Bm, mb, cb, Cb);
    // the floor keeps a constant channel (an all-zero start) from dividing by zero
    const scale = tf.sqrt(tf.add(tf.mul(tf.expandDims(pa, 2), tf.expandDims(pb, 1)), 1e-12));
    re = tf.div(re, scale);
    if (im) im = tf.div(im, scale);
  }
  const flat = (t: Tensor) => tf.reshape(t, [B, -1]);
  return im ? tf.concat([flat(re), flat(im)], 1) : flat(re);
}

/** b(u + τ) with periodic boundaries: a map [B, H, W, C] rolled by (dy, dx). */
function shifted(tf: TF, b: Tensor, dy: number, dx: number): Tensor {
  let out = b;
  for (const [axis, d] of [
    [1, dy],
    [2, dx],
  ] as const) {
    const size = out.shape[axis] as number;
    const s = ((d % size) + size) % size;
    if (s === 0) continue;
    // fresh arrays per slice: TensorFlow.js keeps them as the op's attributes for its gradient
    const part = (from: number, length: number) => {
      const begin = [0, 0, 0, 0];
      const len = [...out.shape] as number[];
      begin[axis] = from;
      len[axis] = length;
      return tf.slice(out, begin, len);
    };
    const tail = part(s, size - s);
    const head = part(0, s);
    out = tf.concat([tail, head], axis);
  }
  return out;
}

export const CrossCovariance = defineNode({
  type: 'CrossCovariance',
  version: 1,
  title: 'Cross-scale covariance',
  category: 'Statistics',
  doc: {
    summary: 'Covariances between every channel of one map and every channel of another, averaged over positions.',
    formula:
      'C_{ij}(τ) = (1/HW) Σ_u (a_i(u) − ā_i)·conj(b_j(u + τ) − b̄_j), τ = (dy, dx), periodic; normalized: C_{ij} / √(σ²(a_i) σ²(b_j)). Output: Re C over the kept pairs, then Im C (only Re when both maps are real); pairs ordered by group (i mod L for same-orientation), then i, then j.',
    intuition:
      "Wire a to the wavelet coefficients x ⊛ ψ and b to a non-linearity of them (a Phase harmonic, a Modulus). Wavelet coefficients at two different scales have no correlation, whatever the field: they live on different frequencies. After the non-linearity moves one scale's frequency onto the other's, they do correlate, and only for fields with structure (edges, vortices, domains). These numbers are what tells a critical Ising field or a turbulent flow from Gaussian noise with the same spectrum. Normalized, each is a correlation coefficient between −1 and 1. An offset τ compares a at each position with b a few pixels away: how the structure seen at one place continues around it (the size and shape of a vortex or a domain), the local interactions of the phase-harmonic model.",
    reference:
      'Zhang & Mallat, "Maximum entropy models from phase harmonic covariances" (ACHA 2021); Cheng et al., "Scattering spectra models for physics" (PNAS Nexus 2024).',
  },
  inputs: [
    { name: 'a', kinds: ['complex', 'map'], doc: 'First map [H, W, 2Ca] (complex) or [H, W, Ca] (real).' },
    { name: 'b', kinds: ['complex', 'map'], doc: 'Second map of the same height and width; conjugated.' },
  ],
  outputs: [
    {
      name: 'out',
      kinds: ['moments'],
      doc: 'Vector [2P] (or [P] for two real maps), P = number of kept channel pairs.',
    },
  ],
  params: {
    weight: WEIGHT_PARAM,
    pairs: {
      kind: 'enum',
      default: 'all',
      options: PAIR_RULES,
      help: 'all: every channel of a with every channel of b. same-orientation: only channels i, j with i mod L = j mod L.',
      main: true,
    },
    L: {
      kind: 'int',
      default: 4,
      min: 1,
      max: 256,
      help: 'Period of the channel layout for "same-orientation": the L of the Wavelet convolution pairs equal orientations; the number of filters J·L of a second wavelet stage pairs equal second filters (scattering spectra).',
    },
    dy: {
      kind: 'int',
      default: 0,
      min: -64,
      max: 64,
      help: 'Vertical offset τ_y in pixels: covariances of a(u) with b(u + τ), periodic. 0 with dx 0 compares each position with itself.',
    },
    dx: {
      kind: 'int',
      default: 0,
      min: -64,
      max: 64,
      help: 'Horizontal offset τ_x in pixels (see dy).',
    },
    normalize: {
      kind: 'bool',
      default: true,
      help: "Divide each covariance by the two channels' standard deviations (a correlation coefficient).",
    },
  },
  inferShape(p, inputs, ctx) {
    const a = one(inputs, 'a', ctx, this.title);
    if (isDiagnostic(a)) return fail(a);
    const b = one(inputs, 'b', ctx, this.title);
    if (isDiagnostic(b)) return fail(b);
    for (const [port, s] of [
      ['a', a],
      ['b', b],
    ] as const) {
      const bad =
        expectKind(s, ['complex', 'map'], ctx, this.title, port, 'Connect a wavelet output or its non-linearity.') ??
        expectRank(s, 3, ctx, this.title, port, 'Feed a map [H, W, C], before any Flatten.');
      if (bad) return fail(bad);
    }
    if (a.shape[0] !== b.shape[0] || a.shape[1] !== b.shape[1]) {
      return fail(
        diag(
          'shape-mismatch',
          `inputs "a" (${a.shape[0]} x ${a.shape[1]}) and "b" (${b.shape[0]} x ${b.shape[1]}) must have the same height and width.`,
          {
            nodeId: ctx.nodeId,
            nodeTitle: this.title,
            port: 'b',
            fix: 'Feed two maps from the same wavelet stage (no subsampling in between).',
          },
        ),
      );
    }
    const G = groupsOf(p.pairs, p.L);
    if (channels(a) % G !== 0 || channels(b) % G !== 0) {
      return fail(
        diag(
          'bad-param',
          `"same-orientation" groups channels by c mod L, but ${channels(a)} and ${channels(b)} channels are not both multiples of L = ${p.L}.`,
          {
            nodeId: ctx.nodeId,
            nodeTitle: this.title,
            param: 'L',
            fix: 'Set L to the orientations of the wavelet bank (or to its number of filters J·L after a second wavelet stage).',
          },
        ),
      );
    }
    const count = (channels(a) / G) * (channels(b) / G) * G;
    const complex = a.kind === 'complex' || b.kind === 'complex';
    return ok({ out: { kind: 'moments', shape: [complex ? 2 * count : count] } });
  },
  lower({ params: p, inputs, ctx }) {
    const { tf } = ctx;
    const sa = inputs.a[0];
    const sb = inputs.b[0];
    const G = groupsOf(p.pairs, p.L);
    const complex = sa.kind === 'complex' || sb.kind === 'complex';
    return {
      apply: (ins) => {
        const b = shifted(tf, ins.b[0], p.dy, p.dx);
        if (G === 1)
          return { out: allPairs(tf, ins.a[0], b, sa.kind === 'complex', sb.kind === 'complex', p.normalize) };
        const [ar, ai] = centred(tf, ins.a[0], sa.kind === 'complex', G);
        const [br, bi] = centred(tf, b, sb.kind === 'complex', G);
        const n = ar.shape[2] as number;
        const mm = (x: Tensor, y: Tensor) => tf.div(tf.matMul(x, y, true, false), n); // [B, G, Ca/G, Cb/G]
        // a·conj(b) = (ar + i ai)(br − i bi)
        let re = mm(ar, br);
        if (ai && bi) re = tf.add(re, mm(ai, bi));
        let im: Tensor | null = null;
        if (complex) {
          const parts = [ai ? mm(ai, br) : null, bi ? tf.neg(mm(ar, bi)) : null].filter((t): t is Tensor => t !== null);
          im = parts.length === 2 ? tf.add(parts[0], parts[1]) : parts[0];
        }
        if (p.normalize) {
          const power = (r: Tensor, i: Tensor | null) =>
            meanOver(tf, i ? tf.add(tf.square(r), tf.square(i)) : tf.square(r), [2]); // [B, G, C/G]
          // the floor keeps a constant channel (an all-zero start) from dividing by zero
          const scale = tf.sqrt(
            tf.add(tf.mul(tf.expandDims(power(ar, ai), 3), tf.expandDims(power(br, bi), 2)), 1e-12),
          );
          re = tf.div(re, scale);
          if (im) im = tf.div(im, scale);
        }
        const flat = (t: Tensor) => tf.reshape(t, [t.shape[0] as number, -1]);
        return { out: im ? tf.concat([flat(re), flat(im)], 1) : flat(re) };
      },
    };
  },
});
