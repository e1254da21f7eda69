/**
 * An ONNX inference model (opset 17) from a validated graph and its weights: a walk over
 * the node declarations' `onnx` writers, encoded with onnx-proto (protobufjs). Input
 * "images": float32 [B, C, H, W] in [0, 1]; output "scores": class scores [B, N].
 */
import onnxProto from 'onnx-proto';
import type { onnx as O } from 'onnx-proto';
import type { Analysis, GraphDocument } from '../../compiler';
import { fragmentEntries, topLevel, type Entry } from '../../compiler/export/pytorch';
import type { OnnxAttr, OnnxBuilder } from '../../nodes/types';
import type { NamedArray } from '../platform/weights';

const { onnx } = onnxProto;

export const ONNX_OPSET = 17;

function attribute(name: string, v: OnnxAttr): O.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: T.INT, i: v } : { name, type: T.FLOAT, f: v };
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if ('floats' in v) return { name, type: T.FLOATS, floats: v.floats };
  if ('int' in v) return { name, type: T.INT, i: v.int };
  return { name, type: T.FLOAT, f: v.float };
}

export function onnxModel(doc: GraphDocument, a: Analysis, weights: NamedArray[]): Uint8Array {
  const byKey = new Map(weights.map((w) => [w.key, w]));
  const nodes: O.INodeProto[] = [];
  const initializers: O.ITensorProto[] = [];
  const weightNames = new Map<string, string>();
  let counter = 0;
  const fresh = (hint: string) => `${hint}_${counter++}`;
  const addInit = (name: string, data: ArrayLike<number>, shape: number[], int64 = false) => {
    if (int64)
      initializers.push({ name, dims: shape, dataType: onnx.TensorProto.DataType.INT64, int64Data: Array.from(data) });
    else {
      const f = Float32Array.from(data);
      initializers.push({
        name,
        dims: shape,
        dataType: onnx.TensorProto.DataType.FLOAT,
        rawData: new Uint8Array(f.buffer),
      });
    }
    return name;
  };
  const builder = (prefix: string): OnnxBuilder => ({
    op(type, inputs, attrs = {}, outputs = 1) {
      const outs = Array.from({ length: outputs }, () => fresh(`${prefix}${type}`));
      nodes.push({
        opType: type,
        name: fresh(`${prefix}${type}_op`),
        input: inputs,
        output: outs,
        attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
      });
      return outs;
    },
    constant: (data, shape, int64) => addInit(fresh(`${prefix}const`), data, shape, int64),
    weight(name) {
      const key = `${prefix}${name}`;
      const w = byKey.get(key);
      if (!w) throw new Error(`the weights have no "${key}"`);
      if (!weightNames.has(key)) weightNames.set(key, addInit(key, w.data, w.shape));
      return { name: weightNames.get(key)!, shape: w.shape, data: w.data };
    },
  });
  const walk = (entries: Entry[], prefix: string, input: string): Map<string, Record<string, string>> => {
    const values = new Map<string, Record<string, string>>();
    for (const e of entries) {
      const ins: Record<string, string[]> = {};
      for (const [port, list] of Object.entries(e.sources))
        ins[port] = list.map((s) => (s.node === null ? input : values.get(s.node)![s.port]));
      if (e.def.role === 'input') ins.data = [input];
      if (e.def.pytorch?.fragment) {
        const frag = fragmentEntries(e);
        const inner = walk(frag.entries, `${prefix}${e.id}/`, ins.in[0]);
        values.set(e.id, { out: inner.get(frag.out.node)![frag.out.port] });
        continue;
      }
      if (!e.def.onnx) throw new Error(`node "${e.id}" (${e.def.type}) cannot be exported to ONNX`);
      const node = { nodeId: e.id, params: e.params as never, inputs: e.inputs, outputs: e.outputs };
      values.set(e.id, e.def.onnx.write(node, ins, builder(`${prefix}${e.id}/`)));
    }
    return values;
  };
  const v = a.validation;
  const [H, W, C] = a.shapes.outputs.get(v.inputNode!)!.out.shape;
  const entries = topLevel(a);
  const loss = entries.find((e) => e.id === v.lossNode)!;
  const values = walk(
    entries.filter((e) => e.id !== v.lossNode),
    '',
    'images',
  );
  const src = loss.sources.in[0];
  nodes.push({ opType: 'Identity', name: 'scores_op', input: [values.get(src.node!)![src.port]], output: ['scores'] });
  // The number of scores, from the shape reaching the loss (one for a hinge loss, one per class otherwise).
  const classes = a.shapes.outputs.get(src.node!)![src.port].shape[0];
  const valueInfo = (name: string, dims: (number | string)[]): O.IValueInfoProto => ({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
  const name = doc.name ?? 'graph';
  const model: O.IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'wavegraph',
    producerVersion: '0.1.0',
    docString: `${name}, exported from Wavegraph for inference. Input "images": float32 [batch, ${C}, ${H}, ${W}] (NCHW), pixel values in [0, 1]. Output "scores": ${classes} class scores per image (before softmax).`,
    graph: {
      name,
      node: nodes,
      initializer: initializers,
      input: [valueInfo('images', ['batch', C, H, W])],
      output: [valueInfo('scores', ['batch', classes])],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
