// Regularizers from their saved form ({ class_name: 'L1L2', config: { l1, l2 } } as Keras and tfjs
// write it), for loading models.

import { ValueError, describe } from '../errors.js';
import { regularizer, type Regularizer } from './regularizer.js';

/**
 * Rebuilds a regularizer from its saved form (`L1`, `L2` or `L1L2`, with Keras's or tfjs's config),
 * or returns null for a saved null. `argName` names it in errors.
 *
 * @example
 * regularizerFromConfig({ class_name: 'L1L2', config: { l1: 0, l2: 1e-4 } });
 */
export function regularizerFromConfig(saved: unknown, argName = 'regularizer'): Regularizer | null {
  if (saved === null || saved === undefined) return null;
  if (typeof saved !== 'object' || Array.isArray(saved))
    throw new ValueError(`${argName}: expected { class_name, config } or null, received ${describe(saved)}.`);
  const s = saved as Record<string, unknown>;
  const className = s.class_name ?? s.className;
  const config = (s.config ?? {}) as Record<string, unknown>;
  const factor = (key: string) => (config[key] === undefined || config[key] === null ? 0 : config[key]);
  if (className === 'L1' || className === 'L2' || className === 'L1L2')
    return regularizer(className, factor('l1'), factor('l2'), argName);
  throw new ValueError(`${argName}: unknown regularizer class ${describe(className)}; known: L1, L2, L1L2.`);
}

/** The saved form: always L1L2 { l1, l2 }, the one class both Keras and tfjs load. */
export function regularizerToConfig(
  r: Regularizer | null,
): { class_name: 'L1L2'; config: { l1: number; l2: number } } | null {
  return r ? { class_name: 'L1L2', config: { l1: r.l1, l2: r.l2 } } : null;
}
