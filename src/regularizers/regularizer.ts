// What a regularizer is (penalty factors l1, l2 of l1·Σ|x| + l2·Σx²) and how options name one.

import { ValueError, describe } from '../errors.js';

/**
 * A penalty l1·Σ|x| + l2·Σx² on a weight (added to the loss, its gradient fused into the update) or on
 * a layer's output (an activity regularizer, divided by the batch size).
 */
export interface Regularizer {
  /** The Keras class name: `L1`, `L2` or `L1L2`. */
  readonly className: 'L1' | 'L2' | 'L1L2';
  readonly l1: number;
  readonly l2: number;
  getConfig(): Record<string, number>;
}

/** Names accepted wherever a regularizer is (each with the default factor 0.01). */
export type RegularizerName = 'l1' | 'l2' | 'l1l2' | 'l1_l2';

/** Checks a penalty factor: finite and ≥ 0 (0 turns the term off). */
export function penaltyFactor(value: unknown, argName: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValueError(`${argName}: expected a finite number ≥ 0 (such as 0.01), received ${describe(value)}.`);
  }
  return value;
}

function make(className: Regularizer['className'], l1: number, l2: number): Regularizer {
  return {
    className,
    l1,
    l2,
    getConfig: (): Record<string, number> => (className === 'L1' ? { l1 } : className === 'L2' ? { l2 } : { l1, l2 }),
  };
}

/** Builds a checked regularizer (the factories in penalties.ts call this). */
export function regularizer(
  className: Regularizer['className'],
  l1: unknown,
  l2: unknown,
  argName: string,
): Regularizer {
  return make(className, penaltyFactor(l1, `${argName}: l1`), penaltyFactor(l2, `${argName}: l2`));
}

const DEFAULT = 0.01;
const byName: Record<RegularizerName, () => Regularizer> = {
  l1: () => make('L1', DEFAULT, 0),
  l2: () => make('L2', 0, DEFAULT),
  l1l2: () => make('L1L2', DEFAULT, DEFAULT),
  l1_l2: () => make('L1L2', DEFAULT, DEFAULT),
};

function isRegularizer(value: unknown): value is Regularizer {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Regularizer;
  return typeof r.l1 === 'number' && typeof r.l2 === 'number' && typeof r.getConfig === 'function';
}

/** Resolves an option (a name, a Regularizer, or null/undefined for none). */
export function resolveRegularizer(
  value: RegularizerName | Regularizer | null | undefined,
  argName: string,
): Regularizer | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') {
    const named = Object.hasOwn(byName, value) ? byName[value] : undefined;
    if (!named) {
      throw new ValueError(
        `${argName}: unknown regularizer ${describe(value)}; known: l1, l2, l1l2, or regularizers.l1l2({ l1, l2 }) ` +
          `for other factors.`,
      );
    }
    return named();
  }
  if (isRegularizer(value)) {
    // Re-check: an object built by hand may carry any numbers.
    penaltyFactor(value.l1, `${argName}: l1`);
    penaltyFactor(value.l2, `${argName}: l2`);
    return value;
  }
  throw new ValueError(
    `${argName}: expected a regularizer name ('l1', 'l2', 'l1l2') or one of regularizers.l1/l2/l1l2({ … }), ` +
      `received ${describe(value)}.`,
  );
}

/** The saved form of an optional regularizer. */
export function serializeRegularizer(
  r: Regularizer | null,
): { className: string; config: Record<string, number> } | null {
  return r ? { className: r.className, config: r.getConfig() } : null;
}
