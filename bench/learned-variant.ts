/**
 * One variant of learned-first-layer's training throughput in a process of its own
 * (bench/extra.ts runs each so): each starts as a user's run does, inheriting no other
 * variant's memory or compiled code. Prints the figures as JSON.
 * Usage: tsx bench/learned-variant.ts <compact 0|1> <fixed 0|1> <steps>
 */
import { compactConvolution } from '../nodes/wavelets/compact-conv-ops';
import { fixedFilterFastPath } from '../nodes/wavelets/fixed-filter-ops';
import { templateRates } from './training';

const [compact, fixed, steps] = process.argv.slice(2);
compactConvolution.enabled = compact === '1';
fixedFilterFastPath.enabled = fixed === '1';
console.log(JSON.stringify(await templateRates('learned-first-layer.json', 'wasm', Number(steps))));
