/**
 * 2D incompressible Navier-Stokes in vorticity form on the periodic square [0, 2π)²,
 * pseudo-spectral with 2/3-rule dealiasing and classical RK4:
 *
 *   ∂ω/∂t + u·∇ω = ν∇²ω − αω + f,   u = (∂ψ/∂y, −∂ψ/∂x),   −∇²ψ = ω.
 *
 * The truncated (Galerkin) system conserves energy and enstrophy exactly when
 * ν = α = f = 0, so a run without them conserves energy to the time stepper's
 * precision: the test of the solver. Decaying from a random band-limited start, the
 * vorticity organizes into long-lived coherent vortices (McWilliams 1984); with a
 * band forcing and drag it reaches a forced stationary state.
 */
import { seededRandom } from '../../nodes/math/random';
import { fft2, freq } from './fft2';

export interface TurbulenceOptions {
  seed: number;
  /** Viscosity; default scales with the grid so the smallest resolved eddies are damped. */
  nu?: number;
  /** Linear drag. */
  drag?: number;
  /** Forcing amplitude on a ring of wavenumbers around n/8 (0: decaying). */
  forcing?: number;
  /** Peak wavenumber of the initial vorticity. */
  k0?: number;
  /** Physical time to run (units where the initial vorticity has unit rms). */
  time?: number;
  /** Largest time step; the CFL rule may take a smaller one. */
  maxDt?: number;
  cfl?: number;
}

export class VorticitySolver {
  readonly n: number;
  /** Vorticity spectrum. */
  wr: Float64Array;
  wi: Float64Array;
  t = 0;
  private readonly kx: Float64Array;
  private readonly ky: Float64Array;
  private readonly k2: Float64Array;
  private readonly keep: Uint8Array;
  private readonly fr: Float64Array;
  private readonly fi: Float64Array;
  private lastUmax = 1;

  constructor(
    n: number,
    omega0: Float64Array,
    private readonly nu: number,
    private readonly drag: number,
    forcing: { re: Float64Array; im: Float64Array } | null,
  ) {
    this.n = n;
    const size = n * n;
    this.kx = new Float64Array(size);
    this.ky = new Float64Array(size);
    this.k2 = new Float64Array(size);
    this.keep = new Uint8Array(size);
    const cut = n / 3;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const i = r * n + c;
        this.ky[i] = freq(r, n);
        this.kx[i] = freq(c, n);
        this.k2[i] = this.kx[i] ** 2 + this.ky[i] ** 2;
        this.keep[i] = Math.abs(this.kx[i]) < cut && Math.abs(this.ky[i]) < cut ? 1 : 0;
      }
    }
    this.wr = Float64Array.from(omega0);
    this.wi = new Float64Array(size);
    fft2(this.wr, this.wi, n, n);
    this.truncate(this.wr, this.wi);
    this.wr[0] = 0;
    this.wi[0] = 0;
    this.fr = forcing?.re ?? new Float64Array(size);
    this.fi = forcing?.im ?? new Float64Array(size);
  }

  private truncate(re: Float64Array, im: Float64Array): void {
    for (let i = 0; i < re.length; i++) if (!this.keep[i]) re[i] = im[i] = 0;
  }

  /** dω̂/dt at spectrum (wr, wi); also records max |u| for the CFL rule. */
  private rhs(wr: Float64Array, wi: Float64Array): [Float64Array, Float64Array] {
    const { n, kx, ky, k2 } = this;
    const size = n * n;
    // two real fields per complex transform: (∂xω + i ∂yω) and (u + i v)
    const gr = new Float64Array(size),
      gi = new Float64Array(size);
    const vr = new Float64Array(size),
      vi = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      // ∂xω^ = i kx ω̂, ∂yω^ = i ky ω̂; packed as A + iB with A, B the two real fields' spectra
      const axr = -kx[i] * wi[i],
        axi = kx[i] * wr[i];
      const ayr = -ky[i] * wi[i],
        ayi = ky[i] * wr[i];
      gr[i] = axr - ayi;
      gi[i] = axi + ayr;
      const inv = k2[i] > 0 ? 1 / k2[i] : 0;
      // ψ̂ = ω̂/k², û = i ky ψ̂, v̂ = −i kx ψ̂
      const ur = -ky[i] * wi[i] * inv,
        ui = ky[i] * wr[i] * inv;
      const wvr = kx[i] * wi[i] * inv,
        wvi = -kx[i] * wr[i] * inv;
      vr[i] = ur - wvi;
      vi[i] = ui + wvr;
    }
    fft2(gr, gi, n, n, true);
    fft2(vr, vi, n, n, true);
    const nr = new Float64Array(size),
      ni = new Float64Array(size);
    let umax = 0;
    for (let i = 0; i < size; i++) {
      nr[i] = -(vr[i] * gr[i] + vi[i] * gi[i]);
      umax = Math.max(umax, Math.abs(vr[i]), Math.abs(vi[i]));
    }
    this.lastUmax = umax;
    fft2(nr, ni, n, n);
    this.truncate(nr, ni);
    for (let i = 0; i < size; i++) {
      const damp = this.nu * k2[i] + this.drag;
      nr[i] += -damp * wr[i] + this.fr[i];
      ni[i] += -damp * wi[i] + this.fi[i];
    }
    nr[0] = ni[0] = 0;
    return [nr, ni];
  }

  /** One classical RK4 step of length dt. */
  step(dt: number): void {
    const { wr, wi } = this;
    const size = wr.length;
    const at = (kr: Float64Array, ki: Float64Array, h: number): [Float64Array, Float64Array] => {
      const ar = new Float64Array(size),
        ai = new Float64Array(size);
      for (let i = 0; i < size; i++) {
        ar[i] = wr[i] + h * kr[i];
        ai[i] = wi[i] + h * ki[i];
      }
      return [ar, ai];
    };
    const k1 = this.rhs(wr, wi);
    const umax = this.lastUmax;
    const k2 = this.rhs(...at(k1[0], k1[1], dt / 2));
    const k3 = this.rhs(...at(k2[0], k2[1], dt / 2));
    const k4 = this.rhs(...at(k3[0], k3[1], dt));
    for (let i = 0; i < size; i++) {
      wr[i] += (dt / 6) * (k1[0][i] + 2 * k2[0][i] + 2 * k3[0][i] + k4[0][i]);
      wi[i] += (dt / 6) * (k1[1][i] + 2 * k2[1][i] + 2 * k3[1][i] + k4[1][i]);
    }
    this.lastUmax = umax;
    this.t += dt;
  }

  /** A step length from the CFL rule at the current state (after at least one step, or an estimate). */
  cflDt(cfl: number, maxDt: number): number {
    const dx = (2 * Math.PI) / this.n;
    return Math.min(maxDt, (cfl * dx) / Math.max(this.lastUmax, 1e-9));
  }

  /** Kinetic energy per unit area, ½⟨|u|²⟩ = ½ Σ |ω̂|²/k² / n⁴. */
  energy(): number {
    let e = 0;
    for (let i = 0; i < this.k2.length; i++) if (this.k2[i] > 0) e += (this.wr[i] ** 2 + this.wi[i] ** 2) / this.k2[i];
    return e / (2 * this.k2.length ** 2);
  }

  enstrophy(): number {
    let z = 0;
    for (let i = 0; i < this.k2.length; i++) z += this.wr[i] ** 2 + this.wi[i] ** 2;
    return z / (2 * this.k2.length ** 2);
  }

  vorticity(): Float64Array {
    const re = Float64Array.from(this.wr);
    const im = Float64Array.from(this.wi);
    fft2(re, im, this.n, this.n, true);
    return re;
  }
}

/** Random real field with a band-limited spectrum |ω̂(k)|² ∝ k exp(−(k/k0)²), unit rms. */
export function bandLimitedNoise(n: number, k0: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) re[i] = random.normal();
  fft2(re, im, n, n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const k = Math.hypot(freq(r, n), freq(c, n));
      const a = Math.sqrt(k * Math.exp(-((k / k0) ** 2)));
      re[r * n + c] *= a;
      im[r * n + c] *= a;
    }
  }
  fft2(re, im, n, n, true);
  let s = 0;
  for (const v of re) s += v * v;
  const scale = 1 / Math.sqrt(s / (n * n));
  for (let i = 0; i < re.length; i++) re[i] *= scale;
  return re;
}

/** A vorticity field after `time` of decaying (or forced) turbulence, n x n, unit rms. */
export function turbulenceField(n: number, opts: TurbulenceOptions): Float32Array {
  const k0 = opts.k0 ?? Math.max(2, n / 12.8);
  const kmax = n / 3;
  const nu = opts.nu ?? 0.5 / kmax ** 2;
  let forcing: { re: Float64Array; im: Float64Array } | null = null;
  if (opts.forcing) {
    forcing = { re: new Float64Array(n * n), im: new Float64Array(n * n) };
    const f0 = bandLimitedNoise(n, n / 8, opts.seed ^ 0x5bd1e995);
    forcing.re.set(f0);
    fft2(forcing.re, forcing.im, n, n);
    for (let i = 0; i < n * n; i++) {
      forcing.re[i] *= opts.forcing;
      forcing.im[i] *= opts.forcing;
    }
  }
  const solver = new VorticitySolver(
    n,
    bandLimitedNoise(n, k0, opts.seed),
    nu,
    opts.drag ?? (opts.forcing ? 0.02 : 0),
    forcing,
  );
  const end = opts.time ?? 20;
  const maxDt = opts.maxDt ?? 0.1;
  let dt = Math.min(maxDt, 0.02);
  while (solver.t < end) {
    solver.step(Math.min(dt, end - solver.t));
    dt = solver.cflDt(opts.cfl ?? 0.8, maxDt);
  }
  const w = solver.vorticity();
  let s = 0;
  for (const v of w) s += v * v;
  const scale = 1 / Math.sqrt(s / w.length);
  return Float32Array.from(w, (v) => v * scale);
}
