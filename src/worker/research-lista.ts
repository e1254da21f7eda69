/**
 * Sparse-coding read-outs (LISTA, ISTC: every node whose declaration names a
 * dictionary): the code each node publishes at every unrolled step (`step0` … `stepK`,
 * via ctx.readout), measured on test images: how many entries are active, and how well
 * the dictionary explains the node's input with that code, ||x - D z_k||^2 / ||x||^2.
 * A node that keeps its atoms at unit norm renormalizes them on every pass, so its
 * dictionary is renormalized here too.
 */
import type { CompiledModel } from '../../compiler/3-lower';
import type { Dataset } from '../../compiler/dataset';
import type { Tensor } from '../../nodes/types';
import type { ListaRow } from './research-protocol';

export async function listaReadouts(model: CompiledModel, data: Dataset, samples: number): Promise<ListaRow[]> {
  const { tf } = model;
  const nodes = model.order.filter((id) => model.validation.nodes.get(id)?.def.dictionary);
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
      const def = model.validation.nodes.get(id)!.def;
      const type = def.type;
      const e = inputs.get(id)!;
      const dictVar = model.variables.find((v) => v.nodeId === id && v.name === def.dictionary!.variable)!
        .variable as Tensor;
      const [c, m] = dictVar.shape;
      const dict = def.dictionary!.unitNormAtoms
        ? tf.div(dictVar, tf.add(tf.norm(dictVar, 'euclidean', 0, true), 1e-12))
        : dictVar;
      const xin = tf.reshape(r.kept.get(e.source)![e.sourcePort], [-1, c]);
      const energy = tf.sum(tf.square(xin));
      // The codes it declares it publishes, one per unrolled step.
      const steps = (def.readouts?.(model.validation.nodes.get(id)!.params as never) ?? [])
        .map((name) => /^step(\d+)$/.exec(name))
        .filter((found) => found !== null)
        .map((found) => ({ k: `${id}/${found[0]}`, step: Number(found[1]) }))
        .filter((s) => r.readouts.has(s.k))
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
