/**
 * Which layers of a graph resampling redraws, and how each one reaches the next learned
 * layer. Everything is read from the compiled variables' roles and the declarations,
 * not from node type names:
 * - a learned layer is a node holding a matrix (rank >= 2) of role weight,
 *   covariance-factor or dictionary;
 * - its input weight is its covariance factor (a RandomFeature-like layer, redrawn by
 *   reseeding its noise), or else its only weight matrix: rank 2 is dense
 *   ([D, N]), rank 4 a convolution ([kh, kw, C_in, C_out]); a node with several weight
 *   matrices (LISTA) or a dictionary cannot be redrawn or aligned;
 * - everything between a layer and the next learned one (normalizations, pooling, fixed
 *   wavelets, moduli, concatenations) is carried along; the next layer's input (phi) is
 *   what the alignment rotates.
 */
import type { Analysis } from '../../compiler';
import type { CompiledModel, ModelVariable } from '../../compiler/3-lower';

/** How an input weight is laid out; alignNext and redrawing dispatch on it. */
import type { WeightLayout } from '../../nodes/types';
export type { WeightLayout };

export interface LayerStep {
  node: string;
  type: string;
  layout: WeightLayout;
  /** Name of the input weight variable. */
  weight: string;
  /** The declaration's param that sets the layer's width, and its trained value. */
  widthParam: string;
  width: number;
  /** Nodes after this layer and before the next learned one, in graph order. */
  between: string[];
  next: string;
  nextLayout: WeightLayout;
  nextWeight: string;
  /** The node whose output the next layer reads. */
  phi: string;
}

export type Plan =
  { ok: true; steps: LayerStep[]; head: string } | { ok: false; message: string; fix?: string; nodeId?: string };

interface Learned {
  layout?: WeightLayout;
  weight?: string;
  why?: string;
}

function learnedOf(vars: ModelVariable[]): Learned | undefined {
  const mats = vars.filter(
    (v) =>
      v.variable.shape.length >= 2 &&
      (v.role === 'weight' || v.role === 'covariance-factor' || v.role === 'dictionary'),
  );
  if (!mats.length) return undefined;
  const factor = mats.find((v) => v.role === 'covariance-factor');
  if (factor) return { layout: 'covariance-factor', weight: factor.name };
  if (mats.some((v) => v.role === 'dictionary')) return { why: 'it codes its input over a dictionary' };
  if (mats.length > 1) return { why: `it has ${mats.length} weight matrices (${mats.map((v) => v.name).join(', ')})` };
  const rank = mats[0].variable.shape.length;
  if (rank === 2) return { layout: 'units-last', weight: mats[0].name };
  if (rank === 4) return { layout: 'kernel', weight: mats[0].name };
  return { why: `its weight has rank ${rank}` };
}

/** Every learned layer whose input weight has a known layout, in graph order (the classifier included). */
export function learnedLayers(model: CompiledModel): { node: string; layout: WeightLayout; variable: ModelVariable }[] {
  const out: { node: string; layout: WeightLayout; variable: ModelVariable }[] = [];
  for (const id of model.order) {
    const vars = model.variables.filter((m) => m.nodeId === id);
    const l = learnedOf(vars);
    if (l?.layout) out.push({ node: id, layout: l.layout, variable: vars.find((m) => m.name === l.weight)! });
  }
  return out;
}

/**
 * The layers to redraw, in graph order: every learned layer but the classifier whose
 * layout is a covariance factor or a dense matrix, and with `everyLayer` convolutions too.
 */
export function planLayers(a: Analysis, model: CompiledModel, everyLayer: boolean, graphName = 'The graph'): Plan {
  const v = a.validation;
  const typeOf = (id: string) => v.nodes.get(id)!.def.type;
  const head = v.nodes.get(v.lossNode!)!.inputs.in[0].source;
  const learned = new Map<string, Learned>();
  for (const id of v.order) {
    const l = learnedOf(model.variables.filter((m) => m.nodeId === id));
    if (l) learned.set(id, l);
  }
  const redrawn = (id: string, l: Learned) =>
    id !== head &&
    (l.layout === 'covariance-factor' || l.layout === 'units-last' || (everyLayer && l.layout === 'kernel')) &&
    !!v.nodes.get(id)!.def.widthParam;
  const ids = v.order.filter((id) => learned.has(id) && redrawn(id, learned.get(id)!));
  if (!ids.length) {
    const what = everyLayer
      ? 'RandomFeature, Dense and Conv2D layers'
      : 'RandomFeature layers and hidden Dense layers (with --every-layer, convolutions too)';
    return {
      ok: false,
      message: `"${graphName}" has no layer to resample: resampling redraws ${what} from their learned covariance, and this graph has none besides its classifier, which is reused or retrained, never redrawn.`,
      fix: everyLayer
        ? 'Add a learned layer before the classifier (the learned-scattering template has three), train, then resample.'
        : 'Add a RandomFeature layer (templates/rainbow.json shows one), or resample every layer, convolutions included.',
    };
  }
  const consumers = new Map<string, string[]>();
  for (const e of v.edges) consumers.set(e.source, [...(consumers.get(e.source) ?? []), e.target]);
  const steps: LayerStep[] = [];
  for (const id of ids) {
    const seen = new Set<string>();
    const nexts = new Set<string>();
    const stack = [...(consumers.get(id) ?? [])];
    while (stack.length) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      if (learned.has(n)) nexts.add(n);
      else stack.push(...(consumers.get(n) ?? []));
    }
    if (nexts.size !== 1) {
      return {
        ok: false,
        nodeId: id,
        message: `Layer "${id}" cannot be aligned: its output reaches ${nexts.size} learned layers (${[...nexts].join(', ') || 'none'}), and resampling aligns each redrawn layer to exactly one next learned layer.`,
      };
    }
    const next = [...nexts][0];
    const nl = learned.get(next)!;
    if (!nl.layout)
      return {
        ok: false,
        nodeId: id,
        message: `Layer "${id}" cannot be aligned: the next learned node "${next}" (${typeOf(next)}) cannot be rotated, since ${nl.why}.`,
        fix: 'Resample a graph whose learned layers are Dense, Conv2D or RandomFeature layers.',
      };
    const ins = Object.values(v.nodes.get(next)!.inputs).flat();
    if (ins.length !== 1)
      return {
        ok: false,
        nodeId: id,
        message: `Layer "${id}" cannot be aligned: the next learned node "${next}" reads ${ins.length} inputs, and alignment rotates a single one.`,
      };
    const l = learned.get(id)!;
    const widthParam = v.nodes.get(id)!.def.widthParam!;
    steps.push({
      node: id,
      type: typeOf(id),
      layout: l.layout!,
      weight: l.weight!,
      widthParam,
      width: Number(v.nodes.get(id)!.params[widthParam]),
      between: v.order.filter((n) => seen.has(n) && !learned.has(n)),
      next,
      nextLayout: nl.layout,
      nextWeight: nl.weight!,
      phi: ins[0].source,
    });
  }
  return { ok: true, steps, head };
}
