/**
 * A binary split of a dataset's classes, as a hinge loss trains on: the text a user
 * types on the loss ("parity", or the classes on the +1 side such as "0,2,3,4,6") read
 * into a group per class. Pure; no tfjs.
 */

export type SplitSpec = { kind: 'none' } | { kind: 'parity' } | { kind: 'classes'; positive: number[] };

/** Read the split text; a message says what is wrong with it. */
export function parseSplit(text: string): { ok: true; spec: SplitSpec } | { ok: false; message: string } {
  const t = text.trim().toLowerCase();
  if (t === '') return { ok: true, spec: { kind: 'none' } };
  if (t === 'parity') return { ok: true, spec: { kind: 'parity' } };
  const parts = t.split(',').map((s) => s.trim());
  const positive = parts.map(Number);
  if (parts.some((s) => !/^\d+$/.test(s)))
    return {
      ok: false,
      message: `cannot read the split "${text}": give "parity" or the class numbers on the +1 side, such as 0,2,3,4,6.`,
    };
  return { ok: true, spec: { kind: 'classes', positive: [...new Set(positive)].sort((a, b) => a - b) } };
}

/**
 * groupOf[c] in {0, 1} for each of `classes` dataset classes (1: the +1 side), or why
 * the split does not fit: no split on a dataset with more than two classes, a class
 * number the dataset lacks, or a group left empty.
 */
export function splitGroups(
  spec: SplitSpec,
  classes: number,
): { ok: true; groupOf: number[] } | { ok: false; message: string } {
  if (spec.kind === 'none') {
    if (classes === 2) return { ok: true, groupOf: [0, 1] };
    return { ok: false, message: `has no binary split, and the dataset has ${classes} classes, not two.` };
  }
  if (spec.kind === 'parity') return { ok: true, groupOf: Array.from({ length: classes }, (_, c) => c % 2) };
  const beyond = spec.positive.filter((c) => c >= classes);
  if (beyond.length)
    return {
      ok: false,
      message: `splits on class${beyond.length > 1 ? 'es' : ''} ${beyond.join(', ')}, but the dataset's classes are 0 to ${classes - 1}.`,
    };
  const groupOf = Array.from({ length: classes }, (_, c) => (spec.positive.includes(c) ? 1 : 0));
  if (groupOf.every((g) => g === 1) || groupOf.every((g) => g === 0))
    return { ok: false, message: `puts every class of the dataset on one side, so there is nothing to separate.` };
  return { ok: true, groupOf };
}
