// Calls whose computation is a formula the caller supplies: an optimizer rule written with the
// Composer (optimizers/lion.ts). They have no kernel of their own; every backend runs them through
// their default (defaults/formula.ts), which applies the gradient transform exactly as the update
// defaults do and then the formula.

import type { HostScalar, Slice } from '../backend.js';
import type { Composer } from '../defaults/compose.js';
import type { GradientTransform } from './update.js';

/** What an update formula reads and writes (n values each; w and the slots in place). */
export interface FormulaUpdateIO {
  /** The variable, already decayed (w·(1 − η·wd)) when weight decay is on: the formula writes its step. */
  readonly w: Slice;
  /** ĝ, the gradient after the transform (regularizer, clipping): a temporary, read only. */
  readonly g: Slice;
  /** The optimizer's slots for this variable, in its slot order. */
  readonly slots: readonly Slice[];
  readonly n: number;
  /** Values per row of the variable seen as a matrix (its last dimension). */
  readonly cols: number;
  /** η, read when the program runs. */
  readonly learningRate: HostScalar;
}

/**
 * An optimizer's rule as calls on a Composer: updates w and the slots in place from ĝ.
 *
 * @example
 * // plain SGD: w ← w − η·ĝ
 * const sgd: UpdateFormula = (c, { w, g, n, learningRate }) =>
 *   c.map2('sub', full(w), full(c.map2('mul', full(g), constant(learningRate), n)), n, w);
 */
export type UpdateFormula = (c: Composer, io: FormulaUpdateIO) => void;

export type FormulaCall = {
  readonly kind: 'formulaUpdate';
  /** The rule's name (`lion`): a backend with a fused kernel for that rule runs it instead of the formula. */
  readonly rule: string;
  /** The rule's constants (`{ beta1, beta2 }`), for such a fused kernel. */
  readonly constants: Readonly<Record<string, number>>;
  readonly w: Slice;
  readonly g: Slice;
  readonly slots: readonly Slice[];
  readonly n: number;
  readonly cols: number;
  readonly learningRate: HostScalar;
  readonly transform: GradientTransform;
  readonly formula: UpdateFormula;
};
