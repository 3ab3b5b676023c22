// Activation names (all of them, in ACTIVATION_NAMES) and how each becomes graph ops. Activations
// whose derivative is a function of their output fuse into the dense GEMM epilogue; swish and gelu
// need their input for the backward pass, so a dense layer keeps its linear output and applies them
// as a separate op; softmax is its own op (and fuses into cross-entropy when the loss follows it).
// The formula activations (FORMULAS) are written in graph primitives: applied after the product as
// graph ops, their gradients come from the graph. A new one is one line there.

import type { KernelActivation } from '../backend/backend.js';
import { ValueError, describe } from '../errors.js';
import { less, mul, relu, softplus, tanh, where } from '../graph/formula.js';
import { activation as activationOp, activationNeedsInput, softmax } from '../graph/ops/activation.js';
import type { SymbolicTensor } from '../graph/tensor.js';

/** Activations written as formulas of graph primitives (their Keras and tfjs names). */
const FORMULAS = {
  mish: (x: SymbolicTensor) => mul(x, tanh(softplus(x))),
  // relu(x) below 6, else 6: the gradient is 0 at x = 0 and at x = 6, as TensorFlow's Relu6Grad
  relu6: (x: SymbolicTensor) => where(less(x, 6), relu(x), 6),
} as const satisfies Record<string, (x: SymbolicTensor) => SymbolicTensor>;

/** An activation written as a formula (`mish`, `relu6`). */
export type FormulaActivation = keyof typeof FORMULAS;

/** An activation by its canonical (tfjs camelCase) name. */
export type CanonicalActivation = KernelActivation | 'softmax' | FormulaActivation;

/**
 * Activations accepted by name: the camelCase names (as tfjs spells them) and Keras's snake_case
 * spellings where they differ (`leaky_relu`, `hard_sigmoid`, `silu` = `swish`).
 *
 * - `linear`: x
 * - `relu`: max(x, 0)
 * - `leakyRelu`: x > 0 ? x : 0.2·x (Keras's `leaky_relu` default slope; `layers.leakyReLU` for others)
 * - `elu`: x > 0 ? x : e^x − 1 (`layers.elu` for another alpha)
 * - `selu`: 1.05070098·(x > 0 ? x : 1.67326324·(e^x − 1)) (Keras's constants)
 * - `sigmoid`: 1 / (1 + e^−x)
 * - `hardSigmoid`: clip(0.2·x + 0.5, 0, 1) (tfjs and Keras 2; Keras 3 uses x/6 + 0.5)
 * - `tanh`: tanh(x)
 * - `softplus`: log(1 + e^x), computed as max(x, 0) + log1p(e^−|x|)
 * - `softsign`: x / (1 + |x|)
 * - `softmax`: e^x / Σ e^x over the last axis
 * - `swish` (alias `silu`): x·sigmoid(x)
 * - `gelu`: x·Φ(x) = x·(1 + erf(x/√2))/2, the exact form: Keras's default (`approximate=False`) and
 *   what tfjs's `gelu` computes (tfjs's tanh approximation is a separate name, `gelu_new`).
 * - `mish`: x·tanh(softplus(x))
 * - `relu6`: min(max(x, 0), 6), written as x < 6 ? relu(x) : 6
 *
 * @example
 * layers.dense({ units: 64, activation: 'gelu' });
 */
export type ActivationName = CanonicalActivation | 'leaky_relu' | 'hard_sigmoid' | 'silu';

/** Every activation name (canonical spellings; ALIASES adds Keras's where they differ). */
export const ACTIVATION_NAMES: readonly CanonicalActivation[] = [
  'linear',
  'relu',
  'leakyRelu',
  'elu',
  'selu',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softplus',
  'softsign',
  'softmax',
  'swish',
  'gelu',
  ...(Object.keys(FORMULAS) as FormulaActivation[]),
];

function isFormula(name: CanonicalActivation): name is FormulaActivation {
  return Object.hasOwn(FORMULAS, name);
}

const ALIASES: Readonly<Record<string, CanonicalActivation>> = {
  leaky_relu: 'leakyRelu',
  hard_sigmoid: 'hardSigmoid',
  silu: 'swish',
};

/** The parameter a name implies (Keras's defaults): leaky slope 0.2, elu alpha 1; 0 for the others. */
const DEFAULT_ALPHA: Partial<Record<CanonicalActivation, number>> = { leakyRelu: 0.2, elu: 1 };

function canonical(name: ActivationName): CanonicalActivation {
  return ALIASES[name] ?? (name as CanonicalActivation);
}

/** Validates an activation name (undefined and null mean linear) and returns its canonical spelling. */
export function resolveActivation(value: unknown, argName: string): CanonicalActivation {
  if (value === undefined || value === null) return 'linear';
  if (typeof value === 'string') {
    if ((ACTIVATION_NAMES as readonly string[]).includes(value)) return value as CanonicalActivation;
    if (Object.hasOwn(ALIASES, value)) return ALIASES[value];
  }
  throw new ValueError(
    `${argName}: unknown activation ${describe(value)}; known: ${ACTIVATION_NAMES.join(', ')} (Keras spellings: ` +
      `${Object.keys(ALIASES).join(', ')}).`,
  );
}

/** The activation's parameter when given by name (leakyRelu 0.2, elu 1, otherwise 0). */
export function activationAlpha(name: ActivationName): number {
  return DEFAULT_ALPHA[canonical(name)] ?? 0;
}

/** Validates an activation parameter that must be finite and ≥ 0 (a leaky slope, an elu alpha). */
export function nonNegativeAlpha(value: unknown, fallback: number, argName: string): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValueError(
      `${argName}: expected a finite number ≥ 0, received ${describe(value)}; for example ${fallback}.`,
    );
  }
  return value;
}

/** True when the activation is elementwise (everything but softmax). */
export function isElementwise(name: ActivationName): boolean {
  return canonical(name) !== 'softmax';
}

/** True when the activation can run in a GEMM epilogue: elementwise, with a derivative computed from y. */
export function isFusable(name: ActivationName): boolean {
  const c = canonical(name);
  return c !== 'softmax' && !isFormula(c) && !activationNeedsInput(c);
}

/** The activation as a kernel activation, for an epilogue (only when `isFusable`). */
export function kernelActivation(name: ActivationName): KernelActivation {
  const c = canonical(name);
  if (c === 'softmax' || isFormula(c)) throw new Error(`simdnet internal: ${c} is not a kernel activation`);
  return c;
}

/** Applies an activation to a symbolic tensor (alpha: the leaky slope or elu alpha, else the name's default). */
export function applyActivation(
  x: SymbolicTensor,
  name: ActivationName,
  alpha = activationAlpha(name),
): SymbolicTensor {
  const c = canonical(name);
  if (c === 'linear') return x;
  if (c === 'softmax') return softmax(x);
  if (isFormula(c)) return FORMULAS[c](x);
  return activationOp(x, c, alpha);
}
