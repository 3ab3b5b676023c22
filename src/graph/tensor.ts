// Symbolic tensors: the nodes and edges of a computation before it runs. A graph is built for one
// batch size, so every shape here is concrete.

import type { DType } from '../tensor.js';
import type { OpDef } from './op.js';
import type { Variable } from './variable.js';

let nextId = 1;

/** Shape and element type of a symbolic tensor. */
export interface TensorInfo {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** Where a symbolic tensor's value comes from. */
export type TensorSource =
  | { readonly kind: 'placeholder'; readonly name: string }
  | { readonly kind: 'variable'; readonly variable: Variable }
  | { readonly kind: 'node'; readonly node: Node; readonly index: number };

export class SymbolicTensor implements TensorInfo {
  readonly id = nextId++;
  constructor(
    readonly shape: readonly number[],
    readonly dtype: DType,
    readonly source: TensorSource,
  ) {}

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  get node(): Node | null {
    return this.source.kind === 'node' ? this.source.node : null;
  }
}

/** One application of an op to inputs. Nodes with no outputs are effects (a weight update). */
export class Node<A = unknown> {
  readonly id = nextId++;
  readonly outputs: SymbolicTensor[];
  constructor(
    readonly op: OpDef<A>,
    readonly inputs: readonly SymbolicTensor[],
    readonly attrs: A,
  ) {
    const infos = op.infer(inputs, attrs);
    this.outputs = infos.map(
      (info, index) => new SymbolicTensor(info.shape, info.dtype, { kind: 'node', node: this as Node, index }),
    );
  }
}

/** A tensor whose value is written before each run (a batch of inputs or labels). */
export function placeholder(shape: readonly number[], dtype: DType, name: string): SymbolicTensor {
  return new SymbolicTensor(shape, dtype, { kind: 'placeholder', name });
}

/** Applies an op and returns its outputs. */
export function apply<A>(op: OpDef<A>, inputs: readonly SymbolicTensor[], attrs: A): SymbolicTensor[] {
  return new Node(op, inputs, attrs).outputs;
}

/** Applies an op with exactly one output. */
export function apply1<A>(op: OpDef<A>, inputs: readonly SymbolicTensor[], attrs: A): SymbolicTensor {
  return apply(op, inputs, attrs)[0];
}
