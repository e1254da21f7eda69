/**
 * LISTA and ISTC read-outs: the code each node publishes at every unrolled step
 * (`step0` … `stepK`, via ctx.readout), measured on test images: how many entries are
 * active, and how well the dictionary explains the node's input with that code,
 * ||x - D z_k||^2 / ||x||^2. ISTC renormalizes its atoms on every pass, so its
 * dictionary is renormalized here too.
 */
import type { CompiledModel } from '../../compiler/3-lower';
import type { Dataset } from '../../compiler/dataset';
import type { Tensor } from '../../nodes/types';
import type { ListaRow } from './research-protocol';

const SPARSE = new Set(['LISTA', 'ISTC']);

export async function listaReadouts(model: CompiledModel, data: Dataset, samples: number): Promise<ListaRow[]> {
  const { tf } = model;
  const nodes = model.order.filter((id) => SPARSE.has(model.validation.nodes.get(id)?.def.type ?? ''));
  if (!nodes.length) return [];
  const n = Math.max(1, Math.min(samples, data.test.count));
  const [H, W, C] = data.shape;
  const inputs = new Map(nodes.map((id) => [id, model.edges.find((e) => e.target === id && e.targetPort === 'in')!]));
  const keep = new Set([...inputs.values()].map((e) => e.source));
  const rows: ListaRow[] = [];
  const result = tf.tidy(() => {
    const x = tf.tensor4d(data.test.images.subarray(0, n * H * W * C), [n, H, W, C]);
    const r = model.forward(x, { training: false, keep, readouts: true });
    const out: { node: string; type: string; steps: { step: number; active: Tensor; err: Tensor }[] }[] = [];
    for (const id of nodes) {
      const type = model.validation.nodes.get(id)!.def.type;
      const e = inputs.get(id)!;
      const dictVar = model.variables.find((v) => v.nodeId === id && v.name === 'dictionary')!.variable as Tensor;
      const [c, m] = dictVar.shape;
      const dict = type === 'ISTC' ? tf.div(dictVar, tf.add(tf.norm(dictVar, 'euclidean', 0, true), 1e-12)) : dictVar;
      const xin = tf.reshape(r.kept.get(e.source)![e.sourcePort], [-1, c]);
      const energy = tf.sum(tf.square(xin));
      const steps = [...r.readouts.keys()]
        .filter((k) => k.startsWith(`${id}/step`))
        .map((k) => ({ k, step: Number(k.slice(id.length + 5)) }))
        .filter((s) => Number.isInteger(s.step))
        .sort((a, b) => a.step - b.step)
        .map(({ k, step }) => {
          const z = tf.reshape(r.readouts.get(k)!, [-1, m]);
          const active = tf.mean(tf.cast(tf.greater(tf.abs(z), 1e-6), 'float32'));
          const recon = tf.matMul(z, dict, false, true);
          const err = tf.div(tf.sum(tf.square(tf.sub(xin, recon))), tf.maximum(energy, 1e-30));
          return { step, active, err };
        });
      out.push({ node: id, type, steps });
    }
    return out;
  });
  for (const o of result) {
    const steps: ListaRow['steps'] = [];
    for (const s of o.steps) {
      steps.push({ step: s.step, active: (await s.active.data())[0], reconstructionError: (await s.err.data())[0] });
      s.active.dispose();
      s.err.dispose();
    }
    rows.push({ node: o.node, type: o.type, steps });
  }
  return rows;
}
