/**
 * The 2D Ising model on an n x n torus at the critical temperature, sampled with
 * Wolff's cluster algorithm: grow a cluster of aligned spins, adding each aligned
 * neighbour with probability 1 − e^{−2β}, and flip it. Near T_c single-spin updates
 * slow down as the correlation length grows; cluster flips do not, so a few sweeps'
 * worth of flipped spins equilibrate any size.
 */
import { seededRandom } from '../../nodes/math/random';
import type { SeededRandom } from '../../nodes/types';

/** β_c = ln(1 + √2) / 2 (Onsager), J = 1, k_B = 1. */
export const BETA_C = Math.log(1 + Math.SQRT2) / 2;

export interface IsingOptions {
  seed: number;
  /** Equilibration, in sweeps: flip clusters until n² × sweeps spins have been flipped. */
  sweeps?: number;
  beta?: number;
}

export class IsingLattice {
  readonly spins: Int8Array;
  private readonly stack: Int32Array;
  private readonly pAdd: number;

  constructor(
    readonly n: number,
    private readonly random: SeededRandom,
    beta = BETA_C,
  ) {
    this.spins = new Int8Array(n * n);
    for (let i = 0; i < n * n; i++) this.spins[i] = random.next() < 0.5 ? -1 : 1;
    this.stack = new Int32Array(n * n);
    this.pAdd = 1 - Math.exp(-2 * beta);
  }

  /** Grow and flip one cluster; returns its size. */
  flipCluster(): number {
    const { n, spins, stack, random, pAdd } = this;
    const seed = Math.floor(random.next() * n * n);
    const s = spins[seed];
    spins[seed] = -s as -1 | 1; // flipped on entry: a flipped spin is never added twice
    stack[0] = seed;
    let top = 1;
    let size = 1;
    while (top > 0) {
      const i = stack[--top];
      const r = (i / n) | 0;
      const c = i - r * n;
      const nb = [r * n + ((c + 1) % n), r * n + ((c + n - 1) % n), ((r + 1) % n) * n + c, ((r + n - 1) % n) * n + c];
      for (const j of nb) {
        if (spins[j] === s && random.next() < pAdd) {
          spins[j] = -s as -1 | 1;
          stack[top++] = j;
          size++;
        }
      }
    }
    return size;
  }

  /** Flip clusters until at least `sweeps` × n² spins were flipped. */
  run(sweeps: number): void {
    let flipped = 0;
    const target = sweeps * this.n * this.n;
    while (flipped < target) flipped += this.flipCluster();
  }

  /** Energy per spin, −(1/n²) Σ_⟨ij⟩ s_i s_j over the 2n² bonds of the torus. */
  energyPerSpin(): number {
    const { n, spins } = this;
    let e = 0;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const s = spins[r * n + c];
        e -= s * (spins[r * n + ((c + 1) % n)] + spins[((r + 1) % n) * n + c]);
      }
    }
    return e / (n * n);
  }

  magnetization(): number {
    let m = 0;
    for (const s of this.spins) m += s;
    return m / (this.n * this.n);
  }
}

/** `count` independent equilibrated n x n critical Ising fields (±1), [count, n, n] flattened. */
export function isingFields(n: number, count: number, opts: IsingOptions): Float32Array {
  const random = seededRandom(opts.seed);
  const lattice = new IsingLattice(n, random, opts.beta ?? BETA_C);
  const out = new Float32Array(count * n * n);
  lattice.run(opts.sweeps ?? 50);
  for (let k = 0; k < count; k++) {
    if (k > 0) lattice.run(10); // decorrelate successive fields
    out.set(lattice.spins, k * n * n);
  }
  return out;
}
