/**
 * Kymatio's channel order for scattering coefficients, and the blocks the expanded
 * transform produces them in. Pure.
 */

/** One low-passed block: order 0, 1 (j1) or 2 (j1, j2). Channels inside: (c, l1, l2). */
export interface ScatterBlock {
  order: 0 | 1 | 2;
  j1: number;
  j2: number;
}

/** Blocks in the order the merge takes them: S0, S1 by j1, S2 by (j1, j2) with j2 > j1. */
export function scatterBlocks(J: number, maxOrder: number): ScatterBlock[] {
  const out: ScatterBlock[] = [{ order: 0, j1: -1, j2: -1 }];
  for (let j1 = 0; j1 < J; j1++) out.push({ order: 1, j1, j2: -1 });
  if (maxOrder >= 2) for (let j1 = 0; j1 < J; j1++) for (let j2 = j1 + 1; j2 < J; j2++) out.push({ order: 2, j1, j2 });
  return out;
}

export function blockChannels(b: ScatterBlock, C: number, L: number): number {
  return C * (b.order === 0 ? 1 : b.order === 1 ? L : L * L);
}

/**
 * For each output channel (c major, then Kymatio's k), its index in the concatenation
 * of the blocks: k runs over S0; S1 (j1, l1); S2 (j1, l1, j2, l2) with j2 > j1.
 */
export function kymatioPermutation(J: number, L: number, maxOrder: number, C: number): number[] {
  const blocks = scatterBlocks(J, maxOrder);
  const offset = new Map<string, number>();
  let at = 0;
  for (const b of blocks) {
    offset.set(`${b.order}:${b.j1}:${b.j2}`, at);
    at += blockChannels(b, C, L);
  }
  const perm: number[] = [];
  for (let c = 0; c < C; c++) {
    perm.push(offset.get('0:-1:-1')! + c);
    for (let j1 = 0; j1 < J; j1++) for (let l1 = 0; l1 < L; l1++) perm.push(offset.get(`1:${j1}:-1`)! + c * L + l1);
    if (maxOrder < 2) continue;
    for (let j1 = 0; j1 < J; j1++) {
      for (let l1 = 0; l1 < L; l1++) {
        for (let j2 = j1 + 1; j2 < J; j2++) {
          for (let l2 = 0; l2 < L; l2++) perm.push(offset.get(`2:${j1}:${j2}`)! + (c * L + l1) * L + l2);
        }
      }
    }
  }
  return perm;
}

/** Contiguous runs of a permutation: [source start, length] pairs in output order. */
export function runsOf(perm: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const s of perm) {
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === s) last[1]++;
    else runs.push([s, 1]);
  }
  return runs;
}
