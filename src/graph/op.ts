// What an op is: a shape rule, the kernel calls that compute it, and a gradient rule that builds
// more graph. Ops are plain objects so that the graph, the gradient pass and the compiler can treat
// them uniformly.

import type { Backend, KernelCall, Slice } from '../backend/backend.js';
import type { Node, SymbolicTensor, TensorInfo } from './tensor.js';

/** The implicit upstream gradient of the training objective (only loss ops accept it). */
export const OBJECTIVE = Symbol('objective');
export type Upstream = SymbolicTensor | typeof OBJECTIVE;

/** What an op's `emit` may ask of the compiler. */
export interface EmitContext {
  readonly backend: Backend;
  /** The storage of a tensor (an input, or an output that something consumes or fetches). */
  slice(tensor: SymbolicTensor): Slice;
  /** Whether an output is consumed or fetched; an op may skip computing one that is not. */
  isUsed(tensor: SymbolicTensor): boolean;
  /** This node's scratch (as many bytes as `scratchBytes` asked for). */
  scratch(): Slice | null;
}

export interface OpDef<A> {
  readonly name: string;
  /** Validates the inputs and returns the outputs' shapes and types. */
  infer(inputs: readonly TensorInfo[], attrs: A): TensorInfo[];
  /** True when output 0 is input 0 under another shape (no kernel, shared storage). */
  readonly view?: boolean;
  /** Temporary bytes the kernels need during this node only. */
  scratchBytes?(node: Node<A>, backend: Backend): number;
  emit(ctx: EmitContext, node: Node<A>): KernelCall[];
  /**
   * Gradients of the objective with respect to each input, given the gradients with respect to each
   * output (null where an output does not reach the objective). Returns null for an input that needs none.
   */
  gradient?(
    node: Node<A>,
    upstream: readonly (Upstream | null)[],
    needed: readonly boolean[],
  ): (SymbolicTensor | null)[];
}

/** Throws an internal error for a broken invariant (a bug in simdnet, not in the user's code). */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`simdnet internal: ${message}`);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null || d < 0 ? 'null' : d)).join(', ')}]`;
}
