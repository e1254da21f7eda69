/** `wavegraph validate <graph.json> [--json]`: shapes per node, or the problems. */
import { formatDiagnostic } from '../../../compiler';
import { loadGraphFile, printDiagnostics } from '../graph-file';
import { flagBool, parseArgs, type CliIO } from '../io';

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, ['json', 'help']);
  if (flagBool(p, 'help')) {
    io.out(
      "Usage: wavegraph validate <graph.json> [--json]\nPrints each node's output shape, or the problems; exit status 1 on any error.",
    );
    return 0;
  }
  const g = loadGraphFile(p.positional[0], io);
  if (!g) return 1;
  const { validation, shapes, diagnostics, ok } = g.analysis;
  if (flagBool(p, 'json')) {
    const nodes = validation.order.map((id) => ({
      id,
      type: validation.nodes.get(id)!.def.type,
      outputs: shapes.outputs.get(id) ?? null,
      params: shapes.paramCounts.get(id) ?? null,
    }));
    io.out(
      JSON.stringify({
        ok,
        nodes,
        parameters: shapes.total,
        diagnostics: diagnostics.map((d) => ({ ...d, text: formatDiagnostic(d) })),
      }),
    );
    return ok ? 0 : 1;
  }
  io.out(`${g.doc.name ?? g.path}: ${validation.nodes.size} nodes, ${validation.edges.length} edges`);
  const rows = validation.order.map((id) => {
    const n = validation.nodes.get(id)!;
    const outs = shapes.outputs.get(id);
    const shape = outs
      ? Object.entries(outs)
          .map(([port, s]) => `${port}: ${s.kind} [${s.shape.join(' x ')}]`)
          .join(', ') || '(loss)'
      : '?';
    const pc = shapes.paramCounts.get(id);
    const params = pc ? `${pc.trainable} trainable${pc.fixed ? `, ${pc.fixed} fixed` : ''}` : '';
    return [id, n.def.title, shape, params];
  });
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), 4));
  for (const r of rows) io.out(`  ${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`);
  io.out(`Parameters: ${shapes.total.trainable} trainable, ${shapes.total.fixed} fixed`);
  printDiagnostics(io, diagnostics);
  if (!ok)
    io.err(
      `${diagnostics.filter((d) => d.severity === 'error').length} error(s): the graph cannot be trained as it is.`,
    );
  return ok ? 0 : 1;
}
