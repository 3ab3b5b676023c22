// The integer codes the kernels take for an activation, a primitive op, an operand's broadcast mode
// and a GEMM layout: the position of the name in its list here. These lists are the one source of
// the codes: scripts/build-wasm.mjs generates assembly/generated/activations.ts and
// assembly/generated/codes.ts (the constants the AssemblyScript switches use) from them, and fails
// when one of the generated constants is not used by any kernel (a name added here with no code
// behind it), while asc fails on a kernel using a constant no longer generated.
//
// This file is read by the build script too (transpiled on its own with what it imports): it may
// import values only from modules that import nothing but types.

import type { KernelActivation } from '../backend.js';
import { BINARY_OPS, REDUCE_OPS, UNARY_OPS, type Operand } from '../calls/primitive.js';

/** Activations by code (the GEMM epilogue and the activation kernels). */
export const ACTIVATIONS = [
  'linear',
  'relu',
  'sigmoid',
  'tanh',
  'leakyRelu',
  'elu',
  'selu',
  'hardSigmoid',
  'softplus',
  'softsign',
  'swish',
  'gelu',
] as const satisfies readonly KernelActivation[];

/** Operand modes of the elementwise primitive kernels (binaryF32, whereF32). */
export const OPERAND_MODES = [
  'full',
  'row',
  'column',
  'scalar',
  'constant',
] as const satisfies readonly Operand['kind'][];

/** GEMM layouts (gemmScratchFloats). */
export const GEMM_LAYOUTS = ['nn', 'tn', 'nt'] as const;

// Both ways: every KernelActivation and operand kind has a code (the lists above only contain names
// of their types, by `satisfies`).
type Missing<T, L extends readonly unknown[]> = Exclude<T, L[number]>;
const complete: [
  Missing<KernelActivation, typeof ACTIVATIONS> | Missing<Operand['kind'], typeof OPERAND_MODES>,
] extends [never]
  ? true
  : never = true;
void complete;

/**
 * The code lists the build script generates AssemblyScript constants from: file, then constant
 * prefix → list (a name becomes PREFIX_UPPER_SNAKE, e.g. ACT_LEAKY_RELU).
 */
export const GENERATED_CODES = {
  'activations.ts': { ACT: ACTIVATIONS },
  'codes.ts': { UNARY: UNARY_OPS, BINARY: BINARY_OPS, REDUCE: REDUCE_OPS, MODE: OPERAND_MODES, LAYOUT: GEMM_LAYOUTS },
} as const;

function codes<const L extends readonly string[]>(list: L): Record<L[number], number> {
  return Object.fromEntries(list.map((name, code) => [name, code])) as Record<L[number], number>;
}

export const ACTIVATION_CODES = codes(ACTIVATIONS);
export const UNARY_CODES = codes(UNARY_OPS);
export const BINARY_CODES = codes(BINARY_OPS);
export const REDUCE_CODES = codes(REDUCE_OPS);
export const MODE_CODES = codes(OPERAND_MODES);
export const GEMM_LAYOUT_CODES = codes(GEMM_LAYOUTS);
