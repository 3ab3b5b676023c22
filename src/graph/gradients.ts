// Reverse-mode differentiation as a graph transformation: walks the graph from the objective back to
// the requested tensors and adds, for each node on the way, the nodes its gradient rule builds.
// The result is more graph, compiled and run like any other.

import { add } from './ops/basic.js';
import { OBJECTIVE, invariant, type Upstream } from './op.js';
import type { Node, SymbolicTensor } from './tensor.js';

/** Nodes that `root` depends on, inputs before the nodes that use them. */
export function topologicalNodes(roots: readonly SymbolicTensor[], effects: readonly Node[] = []): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>();
  // Iterative post-order: deep graphs must not overflow the stack.
  const visit = (start: Node) => {
    const stack: { node: Node; next: number }[] = [{ node: start, next: 0 }];
    if (seen.has(start)) return;
    seen.add(start);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.next < top.node.inputs.length) {
        const child = top.node.inputs[top.next++].node;
        if (child && !seen.has(child)) {
          seen.add(child);
          stack.push({ node: child, next: 0 });
        }
      } else {
        order.push(top.node);
        stack.pop();
      }
    }
  };
  for (const r of roots) if (r.node) visit(r.node);
  for (const e of effects) visit(e);
  return order;
}

/**
 * Gradients of the objective with respect to `wrt`. Without `seed`, the objective is the sum of the
 * roots, each a loss op's output (an op whose gradient rule accepts OBJECTIVE); with `seed`, `root`
 * is one tensor and the objective is Σ seed ⊙ root. Returns null for a tensor the objective does not
 * depend on.
 */
export function gradients(
  root: SymbolicTensor | readonly SymbolicTensor[],
  wrt: readonly SymbolicTensor[],
  seed?: SymbolicTensor,
): (SymbolicTensor | null)[] {
  const roots = Array.isArray(root) ? (root as readonly SymbolicTensor[]) : [root as SymbolicTensor];
  invariant(!seed || roots.length === 1, 'an explicit seed goes with one root');
  const targets = new Set(wrt.map((t) => t.id));
  const depends = new Map<number, boolean>();
  const dependsOnTarget = (t: SymbolicTensor): boolean => {
    const known = depends.get(t.id);
    if (known !== undefined) return known;
    const node = t.node;
    const result = targets.has(t.id) || (node?.inputs.some(dependsOnTarget) ?? false);
    depends.set(t.id, result);
    return result;
  };

  const contributions = new Map<number, Upstream[]>();
  const contribute = (t: SymbolicTensor, g: Upstream) => {
    const list = contributions.get(t.id);
    if (list) list.push(g);
    else contributions.set(t.id, [g]);
  };
  const total = (t: SymbolicTensor): Upstream | null => {
    const list = contributions.get(t.id);
    if (!list) return null;
    if (list.length === 1) return list[0];
    invariant(!list.includes(OBJECTIVE), 'the objective reached twice');
    return (list as SymbolicTensor[]).reduce((a, b) => add(a, b));
  };

  for (const r of roots) contribute(r, seed ?? OBJECTIVE);
  const nodes = topologicalNodes(roots);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    const upstream = node.outputs.map(total);
    if (upstream.every((u) => u === null)) continue;
    const needed = node.inputs.map(dependsOnTarget);
    if (!needed.some(Boolean)) continue;
    invariant(node.op.gradient, `op ${node.op.name} has no gradient rule`);
    const grads = node.op.gradient(node, upstream, needed);
    node.inputs.forEach((input, j) => {
      const g = grads[j];
      if (needed[j] && g) contribute(input, g);
    });
  }
  return wrt.map((t) => {
    const g = total(t);
    invariant(g !== OBJECTIVE, 'gradient of the objective with respect to itself');
    return g;
  });
}
