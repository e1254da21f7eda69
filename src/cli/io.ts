/**
 * Shared plumbing for command-line commands: a tiny flag parser and an output seam
 * (tests call commands in-process with a capturing io).
 */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal (progress bars only then). */
  isTTY: boolean;
}

export const processIO: CliIO = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  isTTY: Boolean(process.stdout.isTTY),
};

export type Command = (args: string[], io: CliIO) => Promise<number>;

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** Parse `--name value`, `--name=value` and bare `--switch` (when listed in `switches`). */
export function parseArgs(args: string[], switches: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        flags.set(a.slice(2, eq), a.slice(eq + 1));
      } else {
        const name = a.slice(2);
        if (switches.includes(name) || i + 1 >= args.length || args[i + 1].startsWith('--')) flags.set(name, true);
        else flags.set(name, args[++i]);
      }
    } else {
      positional.push(a);
    }
  }
  return { positional, flags };
}

export class UsageError extends Error {}

export function flagString(p: ParsedArgs, name: string): string | undefined {
  const v = p.flags.get(name);
  if (v === true) throw new UsageError(`--${name} needs a value.`);
  return v;
}

export function flagNumber(
  p: ParsedArgs,
  name: string,
  opts: { int?: boolean; min?: number; max?: number } = {},
): number | undefined {
  const v = flagString(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (opts.int && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be ${opts.int ? 'a whole number' : 'a number'}, got "${v}".`);
  }
  if (opts.min !== undefined && n < opts.min) throw new UsageError(`--${name} must be at least ${opts.min}, got ${n}.`);
  if (opts.max !== undefined && n > opts.max) throw new UsageError(`--${name} must be at most ${opts.max}, got ${n}.`);
  return n;
}

export function flagBool(p: ParsedArgs, name: string): boolean {
  return p.flags.get(name) === true || p.flags.get(name) === 'true';
}
