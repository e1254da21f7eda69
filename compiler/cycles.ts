/**
 * The loops of a graph, found in time linear in its size, for validation's cycle
 * diagnostic. A loop is reported once, naming a few of its members and how many there
 * are, so a document with a 20,000-node loop costs a few lines of text, not 20,000
 * copies of a 20,000-name list.
 */

export interface Cycle {
  /** Every node of the strongly connected component, in discovery order. */
  members: string[];
  /** One actual loop through the component, start to the node that closes it. */
  loop: string[];
}

/**
 * The strongly connected components that hold a loop (two or more nodes, or one
 * node with an edge to itself), among `nodes`. Iterative Tarjan: deep graphs must
 * not overflow the call stack.
 */
export function findCycles(nodes: Iterable<string>, out: ReadonlyMap<string, readonly string[]>): Cycle[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: Cycle[] = [];
  let next = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    // Each frame: a node and how many of its successors have been looked at.
    const frames: [string, number][] = [[root, 0]];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (frames.length) {
      const frame = frames[frames.length - 1];
      const [id, i] = frame;
      const succ = out.get(id) ?? [];
      if (i < succ.length) {
        frame[1]++;
        const t = succ[i];
        if (!index.has(t)) {
          index.set(t, next);
          low.set(t, next++);
          stack.push(t);
          onStack.add(t);
          frames.push([t, 0]);
        } else if (onStack.has(t)) {
          low.set(id, Math.min(low.get(id)!, index.get(t)!));
        }
        continue;
      }
      frames.pop();
      if (frames.length) {
        const parent = frames[frames.length - 1][0];
        low.set(parent, Math.min(low.get(parent)!, low.get(id)!));
      }
      if (low.get(id) !== index.get(id)) continue;
      const members: string[] = [];
      let m: string;
      do {
        m = stack.pop()!;
        onStack.delete(m);
        members.push(m);
      } while (m !== id);
      members.reverse();
      const selfLoop = members.length === 1 && succ.includes(id);
      if (members.length > 1 || selfLoop) cycles.push({ members, loop: loopThrough(members, out) });
    }
  }
  return cycles;
}

/** Follow edges inside the component from its first member until a node repeats: that stretch is a loop. */
function loopThrough(members: string[], out: ReadonlyMap<string, readonly string[]>): string[] {
  const inside = new Set(members);
  const at = new Map<string, number>();
  const walk: string[] = [];
  let id = members[0];
  while (!at.has(id)) {
    at.set(id, walk.length);
    walk.push(id);
    // Every member of a component with a loop has a successor inside it.
    id = (out.get(id) ?? []).find((t) => inside.has(t))!;
  }
  return walk.slice(at.get(id)!);
}
