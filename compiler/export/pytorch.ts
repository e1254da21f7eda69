/**
 * model.py from a validated graph: a walk over the node declarations. Each node type
 * brings its own nn.Module class (its `pytorch` writer); this walk only names the
 * nodes, writes each class once, instantiates one module per node with the node id
 * as attribute name and its formula as a comment, and chains them in run order.
 * Composite nodes (Scattering2D) become a sub-module of their parts.
 */
import type { AnyNodeDefinition, TensorSpec } from '../../nodes/types';
import type { FixedTensor, PyLiteral } from '../../nodes/types';
import { diag, type Diagnostic } from '../../document/diagnostics';
import type { Analysis } from '../index';
import { inferFragment } from '../../nodes/wavelets/fragment';
import { PYTHON_COMMON } from './python-common';

/** A node as the walk sees it, at the top level or inside a fragment. */
export interface Entry {
  id: string;
  def: AnyNodeDefinition;
  params: Record<string, unknown>;
  inputs: Record<string, TensorSpec[]>;
  outputs: Record<string, TensorSpec>;
  /** Where each input port's values come from, in order (`null` node: the fragment's input). */
  sources: Record<string, { node: string | null; port: string }[]>;
}

const PY_RESERVED = new Set([
  'x',
  'self',
  'front',
  'training',
  'forward',
  'loss',
  'train',
  'eval',
  'to',
  'cuda',
  'cpu',
  'float',
  'double',
  'half',
  'type',
  'apply',
  'buffers',
  'parameters',
  'modules',
  'children',
  'state_dict',
  'zero_grad',
  'None',
  'True',
  'False',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
  'torch',
  'nn',
  'F',
  'np',
  'json',
  'os',
  'math',
]);

/** Python identifiers for node ids, unique. */
export function pythonNames(ids: string[]): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const id of ids) {
    let n = id.replace(/[^A-Za-z0-9_]/g, '_');
    if (/^[0-9]/.test(n) || n === '') n = 'n_' + n;
    if (PY_RESERVED.has(n)) n += '_';
    while (used.has(n)) n += '_';
    used.add(n);
    out.set(id, n);
  }
  return out;
}

export function py(v: PyLiteral): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'string') return JSON.stringify(v).replace(/^"|"$/g, "'").replace(/\\"/g, '"');
  if (Array.isArray(v)) return `[${v.map(py).join(', ')}]`;
  return v.py;
}

const comment = (text: string, indent: string) => {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + w.length > 100) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${indent}# ${l}`).join('\n');
};

export function topLevel(a: Analysis): Entry[] {
  const v = a.validation;
  return v.order.map((id) => {
    const n = v.nodes.get(id)!;
    const inputs: Record<string, TensorSpec[]> = {};
    const sources: Entry['sources'] = {};
    for (const [port, list] of Object.entries(n.inputs)) {
      inputs[port] = list.map((e) => a.shapes.outputs.get(e.source)![e.sourcePort]);
      sources[port] = list.map((e) => ({ node: e.source, port: e.sourcePort }));
    }
    return {
      id,
      def: n.def,
      params: n.params as Record<string, unknown>,
      inputs,
      outputs: a.shapes.outputs.get(id) ?? {},
      sources,
    };
  });
}

export function fragmentEntries(e: Entry): { entries: Entry[]; out: { node: string; port: string } } {
  const { expansion, parts } = e.def.pytorch!.fragment!(e.params as never);
  const inferred = inferFragment(expansion, parts, e.inputs.in[0]);
  if ('diagnostics' in inferred) throw new Error(inferred.diagnostics[0].message);
  const edges = [...expansion.edges].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const entries = expansion.nodes.map((n) => {
    const sources: Entry['sources'] = {};
    for (const ref of expansion.inputs.in)
      if (ref.node === n.id) (sources[ref.port] ??= []).push({ node: null, port: 'in' });
    for (const ed of edges)
      if (ed.target === n.id) (sources[ed.targetPort] ??= []).push({ node: ed.source, port: ed.sourcePort });
    return {
      id: n.id,
      def: parts.get(n.type)!,
      params: inferred.params.get(n.id)!,
      inputs: inferred.inputs.get(n.id)!,
      outputs: inferred.outputs.get(n.id)!,
      sources,
    };
  });
  return { entries, out: expansion.outputs.out };
}

export interface PytorchModel {
  source: string;
  /** Fixed buffers that are not weights, keyed like weights ("scat/s0/phi"). */
  constants: { key: string; shape: number[]; data: Float32Array }[];
}

interface Writer {
  classes: Map<string, string>;
  constants: PytorchModel['constants'];
}

/** __init__ lines and forward lines for a list of entries (the model, or a fragment's sub-module). */
function writeLevel(
  w: Writer,
  entries: Entry[],
  keyPrefix: string,
  names: Map<string, string>,
  inputExpr: (port: string) => string,
) {
  const init: string[] = [];
  const fwd: string[] = [];
  const valueOf = (src: { node: string | null; port: string }) => {
    if (src.node === null) return inputExpr(src.port);
    const e = entries.find((x) => x.id === src.node)!;
    const name = names.get(src.node)!;
    return Object.keys(e.outputs).length > 1 || e.def.outputs.length > 1 ? `${name}['${src.port}']` : name;
  };
  for (const e of entries) {
    const pw = e.def.pytorch;
    if (!pw) throw new Error(`node "${e.id}" (${e.def.type}) cannot be exported to PyTorch`);
    const attr = names.get(e.id)!;
    init.push(comment(`${e.id}: ${e.def.title}. ${e.def.doc.formula}`, '        '));
    let ctor: string;
    if (pw.fragment) {
      const cls = `${e.def.type}_${attr}`;
      const frag = fragmentEntries(e);
      const fnames = pythonNames(frag.entries.map((f) => f.id));
      const inner = writeLevel(w, frag.entries, `${keyPrefix}${e.id}/`, fnames, () => 'x');
      const outFrag = frag.entries.find((f) => f.id === frag.out.node)!;
      const ret =
        outFrag.def.outputs.length > 1
          ? `${fnames.get(frag.out.node)}['${frag.out.port}']`
          : fnames.get(frag.out.node)!;
      w.classes.set(
        cls,
        [
          `class ${cls}(nn.Module):`,
          `    """${e.def.title} as its parts (${e.def.doc.summary})"""`,
          '',
          '    def __init__(self):',
          '        super().__init__()',
          ...inner.init,
          '',
          '    def forward(self, x):',
          ...inner.fwd,
          `        return ${ret}`,
          '',
        ].join('\n'),
      );
      ctor = `${cls}()`;
    } else {
      const node = { nodeId: e.id, params: e.params as never, inputs: e.inputs, outputs: e.outputs };
      for (const c of [...(pw.uses ?? []), pw]) if (!w.classes.has(c.className)) w.classes.set(c.className, c.source);
      const args = Object.entries(pw.args(node))
        .map(([k, v]) => `${k}=${py(v)}`)
        .join(', ');
      ctor = `${pw.className}(${args})`;
      for (const c of pw.constants?.(node) ?? ([] as FixedTensor[]))
        w.constants.push({ key: `${keyPrefix}${e.id}/${c.name}`, shape: c.shape, data: c.data });
    }
    init.push(`        self.${attr} = ${ctor}`);
    if (e.def.role === 'loss') continue;
    const args = e.def.inputs
      .filter((p) => e.sources[p.name]?.length || !p.optional)
      .map((p) => {
        const list = (e.sources[p.name] ?? []).map(valueOf);
        if (p.multi) return `[${list.join(', ')}]`;
        return list[0] ?? 'None';
      });
    const call = e.def.role === 'input' ? 'x' : args.join(', ');
    fwd.push(`        ${attr} = self.${attr}(${call})`);
  }
  return { init, fwd, valueOf };
}

/** Nodes computed once per dataset by train.py: nothing trainable or training-dependent at or before them. */
function frozenNodes(a: Analysis, entries: Entry[]): Set<string> {
  const frozen = new Set<string>();
  for (const e of entries) {
    if (e.def.role === 'loss') continue;
    const count = a.shapes.paramCounts.get(e.id)?.trainable ?? 0;
    if (count > 0 || e.def.differsInTraining) continue;
    if (
      Object.values(e.sources)
        .flat()
        .every((s) => s.node !== null && frozen.has(s.node))
    )
      frozen.add(e.id);
  }
  return frozen;
}

export function writePytorchModel(a: Analysis, graphName: string, description = ''): PytorchModel {
  const entries = topLevel(a);
  const names = pythonNames(entries.map((e) => e.id));
  const w: Writer = { classes: new Map(), constants: [] };
  const level = writeLevel(w, entries, '', names, () => 'x');
  const v = a.validation;
  const lossEntry = entries.find((e) => e.id === v.lossNode)!;
  const scores = level.valueOf(lossEntry.sources.in[0]);
  // The frozen front end: forward lines of frozen nodes, and the frozen values later nodes read.
  const frozen = frozenNodes(a, entries);
  const boundary = [...frozen].filter((id) =>
    entries.some(
      (e) =>
        !frozen.has(e.id) &&
        e.def.role !== 'loss' &&
        Object.values(e.sources)
          .flat()
          .some((s) => s.node === id),
    ),
  );
  const fwdOf = (id: string) => level.fwd[entries.filter((e) => e.def.role !== 'loss').findIndex((e) => e.id === id)];
  const hasFront = boundary.length > 0 && !(boundary.length === 1 && boundary[0] === v.inputNode && frozen.size === 1);
  const [H, W, C] = a.shapes.outputs.get(v.inputNode!)!.out.shape;
  const src = lossEntry.sources.in[0];
  // The number of scores, from the shape reaching the loss (one for a hinge loss, one per class otherwise).
  const classes = a.shapes.outputs.get(src.node!)![src.port].shape[0];
  const frontNames = boundary.map((id) => names.get(id)!);
  const rest = entries.filter((e) => e.def.role !== 'loss' && !(hasFront && frozen.has(e.id))).map((e) => fwdOf(e.id));
  const nodeIds = Object.fromEntries([...names].map(([id, n]) => [n, id]));
  const model = [
    'class Model(nn.Module):',
    `    """${graphName.replace(/"/g, "'")}${description ? `: ${description.replace(/"/g, "'")}` : ''}`,
    '',
    `    Input: float32 images [B, ${C}, ${H}, ${W}] (NCHW) with pixel values in [0, 1]. Output: ${classes} class scores [B, ${classes}].`,
    "    Attributes are the graph's node ids; weights keep Wavegraph's names (see wavegraph_key) and shapes.",
    '    """',
    '',
    `    INPUT_SHAPE = (${C}, ${H}, ${W})`,
    `    CLASSES = ${classes}`,
    `    #: True when the graph starts with a frozen front end (no trainable weight): train.py computes it once.`,
    `    HAS_FRONT = ${hasFront ? 'True' : 'False'}`,
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...level.init,
    '        load_constants(self)',
    '',
    ...(hasFront
      ? [
          '    def front(self, x):',
          '        """The frozen front end: the same in training and inference, so it can be computed once per dataset."""',
          ...entries.filter((e) => frozen.has(e.id)).map((e) => fwdOf(e.id)),
          `        return (${frontNames.join(', ')},)`,
          '',
          '    def forward(self, x, from_front=False):',
          '        """Class scores of images x; with from_front, x is the tuple front(images) returned."""',
          `        (${frontNames.join(', ')},) = x if from_front else self.front(x)`,
        ]
      : ['    def forward(self, x, from_front=False):', '        """Class scores of images x [B, C, H, W]."""']),
    ...rest,
    `        return ${scores}`,
    '',
    '    def loss(self, scores, labels):',
    `        return self.${names.get(lossEntry.id)}(scores, labels)`,
    '',
    '    def correct(self, scores, labels):',
    '        """How many scores predict their label: the largest score, unless the loss says otherwise."""',
    `        rule = getattr(self.${names.get(lossEntry.id)}, 'correct', None)`,
    '        return rule(scores, labels) if rule else (scores.argmax(1) == labels).sum()',
    '',
    '    @classmethod',
    "    def from_wavegraph(cls, folder=os.path.join(HERE, 'weights')):",
    '        """A model holding the weights of a Wavegraph weights folder (weights.json + weights.bin)."""',
    '        m = cls()',
    '        load_weights(m, folder)',
    '        return m',
    '',
  ].join('\n');
  const header = [
    `"""${graphName.replace(/"/g, "'")}: a PyTorch model exported from Wavegraph.`,
    '',
    "Maps are NCHW here (Wavegraph keeps them channel-last): channels keep Wavegraph's order, every weight",
    'keeps its Wavegraph name and shape, and Flatten reads a map in channel-last order, so weights files',
    'move between Wavegraph and PyTorch unchanged. Needs python3, numpy and torch only.',
    '"""',
  ].join('\n');
  const source = [
    header,
    PYTHON_COMMON,
    `GRAPH_NAME = ${py(graphName)}`,
    `#: Python attribute -> Wavegraph node id, for weight names.`,
    `NODE_IDS = ${JSON.stringify(nodeIds)}`,
    '',
    '',
    [...w.classes.values()].join('\n\n'),
    '',
    model,
  ].join('\n');
  return { source, constants: w.constants };
}

/**
 * Why a valid graph cannot be exported, or undefined. A statistics model (one that ends
 * in Moments) is matched by synthesis, not trained: it has no training package or
 * classifier to hand over.
 */
export function exportRefusal(a: Analysis): Diagnostic | undefined {
  if (!a.validation.momentsNode) return undefined;
  return diag(
    'statistics-model',
    'This graph is a statistics model: it is used to synthesize fields (wavegraph synthesize), not trained on labels, so there is no PyTorch training package or ONNX classifier to export.',
    {
      nodeId: a.validation.momentsNode,
      fix: 'Export a classifier (a graph that ends in a loss node); synthesize with this one.',
    },
  );
}
