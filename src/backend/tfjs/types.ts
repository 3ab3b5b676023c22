// The part of the TensorFlow.js namespace the tfjs backend uses. tfjs is an optional peer dependency:
// nothing here imports it at run time (`import type` is erased), so simdnet loads without it, and a
// user's own `tf` object (from @tensorflow/tfjs, tfjs-node, tfjs-node-gpu, or tfjs-core with a backend
// package) fits this type structurally.

import type * as tfc from '@tensorflow/tfjs-core';

/** A tfjs tensor, as the tfjs backend stores values: float32 or int32, in the shape its op made. */
export type Tensor = tfc.Tensor;

/** The tfjs functions the backend calls. */
export type TfNamespace = Pick<
  typeof tfc,
  // engine and memory
  | 'engine'
  | 'getBackend'
  | 'setBackend'
  | 'ready'
  | 'tidy'
  // making and shaping tensors
  | 'tensor1d'
  | 'scalar'
  | 'zeros'
  | 'fill'
  | 'slice'
  | 'concat'
  | 'reshape'
  | 'broadcastTo'
  | 'cast'
  | 'clone'
  // unary
  | 'neg'
  | 'abs'
  | 'exp'
  | 'log'
  | 'log1p'
  | 'sqrt'
  | 'square'
  | 'reciprocal'
  | 'tanh'
  | 'sigmoid'
  | 'softplus'
  | 'relu'
  | 'erf'
  | 'floor'
  | 'isNaN'
  // binary and selection
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'maximum'
  | 'minimum'
  | 'pow'
  | 'greater'
  | 'greaterEqual'
  | 'less'
  | 'lessEqual'
  | 'equal'
  | 'notEqual'
  | 'where'
  | 'logicalOr'
  | 'logicalAnd'
  | 'isInf'
  // reductions, products, indexing, random
  | 'sum'
  | 'max'
  | 'min'
  | 'argMax'
  | 'matMul'
  | 'fused'
  | 'gather'
  | 'oneHot'
  | 'randomUniform'
>;
