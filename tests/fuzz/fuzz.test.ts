/**
 * Fuzzing the inputs a student or a link can hand Wavegraph: 10,000 graph documents,
 * share links and weights files, generated and mutated from a fixed seed, through the
 * loader, validation, shape inference, the share-link decoder and the weights reader.
 *
 *   npx vitest run tests/fuzz/fuzz.test.ts                       the fixed 10,000
 *   FUZZ_BASE=7 npx vitest run tests/fuzz/fuzz.test.ts           another 10,000
 *   FUZZ_CASE=doc:1234 npx vitest run tests/fuzz/fuzz.test.ts    one case, with details
 *
 * A failing case is printed with the command that replays it and added to
 * regressions.json, which every run replays first.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BOUND_MS, runCase, type Kind, type Outcome } from './cases';

/** 10,000 in all; documents are the cheapest and the richest, bombs among the links the dearest. */
const COUNTS: Record<Kind, number> = { doc: 6000, link: 2000, weights: 2000 };
const BASE = Number(process.env.FUZZ_BASE ?? 1);
const ONLY = process.env.FUZZ_CASE;
const REGRESSIONS = new URL('./regressions.json', import.meta.url);

interface Regression {
  case: string;
  why: string;
}

const regressions = (): Regression[] => JSON.parse(readFileSync(REGRESSIONS, 'utf8')).cases;
const parse = (id: string): [Kind, number] => {
  const [kind, seed] = id.split(':');
  return [kind as Kind, Number(seed)];
};

function report(failures: Outcome[]): string[] {
  const kept = regressions();
  const file = JSON.parse(readFileSync(REGRESSIONS, 'utf8'));
  const lines: string[] = [];
  for (const f of failures) {
    lines.push(
      `${f.id} (${f.steps.join(', ')}): ${f.problems.join('; ')}\n  replay: FUZZ_CASE=${f.id} npx vitest run tests/fuzz/fuzz.test.ts`,
    );
    if (!kept.some((r) => r.case === f.id))
      file.cases.push({ case: f.id, why: `${f.steps.join(', ')}: ${f.problems[0]}`.slice(0, 300) });
  }
  if (file.cases.length > kept.length) writeFileSync(REGRESSIONS, JSON.stringify(file, null, 2) + '\n');
  console.error(`Fuzz failures (kept in tests/fuzz/regressions.json):\n${lines.join('\n')}`);
  return lines;
}

async function runMany(kind: Kind, seeds: number[]) {
  const failures: Outcome[] = [];
  let slowest: Outcome | undefined;
  let slowestBomb: Outcome | undefined;
  let retried = 0;
  for (const seed of seeds) {
    const o = await runCase(kind, seed);
    if (o.retries) retried++;
    if (o.problems.length) failures.push(o);
    if (o.bomb) {
      if (!slowestBomb || o.ms > slowestBomb.ms) slowestBomb = o;
    } else if (!slowest || o.ms > slowest.ms) slowest = o;
  }
  const bomb = slowestBomb ? `; slowest deflate bomb ${slowestBomb.ms.toFixed(1)} ms (${slowestBomb.id})` : '';
  console.log(
    `fuzz ${kind}: ${seeds.length} cases, ${failures.length} failing; slowest ${slowest?.ms.toFixed(2)} ms (${slowest?.id}, ${slowest?.steps.join(', ')})${bomb}; ${retried} timed again after a first try over ${BOUND_MS} ms`,
  );
  return failures;
}

const seedsFor = (kind: Kind) => Array.from({ length: COUNTS[kind] }, (_, i) => BASE * 1_000_000 + i);

describe.skipIf(!!ONLY)('fuzz', () => {
  it('replays the regression cases', async () => {
    const failures: Outcome[] = [];
    for (const r of regressions()) {
      const o = await runCase(...parse(r.case));
      if (o.problems.length) failures.push(o);
    }
    expect(failures.length ? report(failures) : []).toEqual([]);
  });

  for (const kind of Object.keys(COUNTS) as Kind[]) {
    it(`${COUNTS[kind]} ${kind === 'doc' ? 'graph documents' : kind === 'link' ? 'share links' : 'weights files'}: no throw, a diagnostic for each bad one, each under ${BOUND_MS} ms`, async () => {
      const failures = await runMany(kind, seedsFor(kind));
      expect(failures.length ? report(failures) : []).toEqual([]);
    }, 300_000);
  }
});

describe.skipIf(!ONLY)('one fuzz case', () => {
  it(ONLY ?? 'FUZZ_CASE=<kind>:<seed>', async () => {
    const o = await runCase(...parse(ONLY!));
    console.log(
      JSON.stringify(
        { ...o, input: typeof o.input === 'string' ? o.input.slice(0, 2000) : JSON.stringify(o.input)?.slice(0, 2000) },
        null,
        2,
      ),
    );
    expect(o.problems).toEqual([]);
  });
});
