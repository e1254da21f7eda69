/**
 * Limits on making rooms (creating one or forking one), which each cost storage:
 * a sliding one-hour window per client address and one for the whole server, and a
 * ceiling on the number of rooms. The defaults let a class of 40 behind one school
 * NAT create and fork freely through a lesson (40 people x 5 = 200 an hour) while a
 * script hammering the port is stopped within the hour's budget.
 */
export interface QuotaLimits {
  /** Rooms made (created or forked) per address per hour. */
  perAddressPerHour: number;
  /** Rooms made per hour on the whole server. */
  globalPerHour: number;
  /** Rooms the server holds at most. */
  maxRooms: number;
}

export const DEFAULT_QUOTAS: QuotaLimits = { perAddressPerHour: 300, globalPerHour: 2000, maxRooms: 20_000 };

const WINDOW_MS = 3600_000;

export type QuotaAnswer = { ok: true } | { ok: false; retryAfterS: number; message: string };

export class CreationQuota {
  private readonly byAddress = new Map<string, number[]>();
  private global: number[] = [];

  constructor(
    readonly limits: QuotaLimits = DEFAULT_QUOTAS,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Count one room made by `address`, or say when it may try again. */
  take(address: string, roomCount: () => number): QuotaAnswer {
    const t = this.now();
    const recent = (xs: number[]) => xs.filter((x) => t - x < WINDOW_MS);
    this.global = recent(this.global);
    const mine = recent(this.byAddress.get(address) ?? []);
    if (mine.length) this.byAddress.set(address, mine);
    else this.byAddress.delete(address);
    const retry = (oldest: number) => Math.max(1, Math.ceil((oldest + WINDOW_MS - t) / 1000));
    if (mine.length >= this.limits.perAddressPerHour) {
      return {
        ok: false,
        retryAfterS: retry(mine[0]),
        message: `This address has made ${mine.length} rooms in the last hour, the most allowed.`,
      };
    }
    if (this.global.length >= this.limits.globalPerHour) {
      return {
        ok: false,
        retryAfterS: retry(this.global[0]),
        message: 'The server has made as many rooms this hour as it allows.',
      };
    }
    if (roomCount() >= this.limits.maxRooms) {
      return {
        ok: false,
        retryAfterS: 3600,
        message: `The server holds ${this.limits.maxRooms} rooms, the most it allows; ask its operator.`,
      };
    }
    mine.push(t);
    this.byAddress.set(address, mine);
    this.global.push(t);
    // Forget addresses that went quiet, so the map does not grow with every address ever seen.
    if (this.byAddress.size > 10_000)
      for (const [a, xs] of this.byAddress) if (!xs.some((x) => t - x < WINDOW_MS)) this.byAddress.delete(a);
    return { ok: true };
  }
}

/**
 * The address a quota counts: the socket's peer, or, behind `trustedHops` reverse proxies
 * (WAVEGRAPH_TRUST_PROXY), the address the outermost trusted proxy saw: the
 * `trustedHops`-th entry of X-Forwarded-For from the right. Entries further left were
 * written by the client and could be anything, so they are never used; without trusted
 * proxies the header is ignored (a client cannot escape its quota by sending one).
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedHops: number,
): string {
  const peer = socketAddress ?? 'unknown';
  if (trustedHops < 1 || forwardedFor === undefined) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!hops.length) return peer;
  return hops[Math.max(0, hops.length - trustedHops)].slice(0, 64);
}
