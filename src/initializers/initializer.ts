// What an initializer is, and how options name one (camelCase as tfjs, snake_case as Keras).

import { ValueError, describe } from '../errors.js';
import type { Generator } from '../random.js';
import { constant, ones, zeros } from './constant.js';
import { randomNormal, randomUniform, truncatedNormal } from './random.js';
import {
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  varianceScaling,
} from './variance-scaling.js';

/** Fills a new weight tensor of a shape, drawing from the model's seeded generator. */
export interface Initializer {
  readonly className: string;
  init(shape: readonly number[], rng: Generator): Float32Array;
  getConfig(): Record<string, number | string>;
}

// The dense layer's defaults first: error messages list the names in this order.
const byName = {
  glorotUniform,
  zeros,
  ones,
  constant: () => constant(),
  randomNormal: () => randomNormal(),
  randomUniform: () => randomUniform(),
  truncatedNormal: () => truncatedNormal(),
  glorotNormal,
  heUniform,
  heNormal,
  lecunUniform,
  lecunNormal,
  varianceScaling: () => varianceScaling(),
} satisfies Record<string, () => Initializer>;

type CamelName = keyof typeof byName;
type SnakeCase<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${SnakeCase<T>}`
  : S;

/** Names accepted wherever an initializer is: `heNormal` or Keras's `he_normal` (defaults of each). */
export type InitializerName = CamelName | SnakeCase<CamelName>;

function lookup(name: string): (() => Initializer) | undefined {
  // camelCase, Keras's snake_case, or a class name (`HeNormal`, as saved configs carry).
  const camel = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()).replace(/^[A-Z]/, (c) => c.toLowerCase());
  return Object.hasOwn(byName, camel) ? byName[camel as CamelName] : undefined;
}

/** Resolves a name or an Initializer, with an error that lists the known names. */
export function resolveInitializer(
  value: InitializerName | Initializer | undefined,
  fallback: InitializerName,
  argName: string,
): Initializer {
  if (value === undefined) return lookup(fallback)!();
  if (typeof value === 'string') {
    const make = lookup(value);
    if (!make) {
      throw new ValueError(
        `${argName}: unknown initializer ${describe(value)}; known: ${Object.keys(byName).join(', ')} (or their ` +
          `snake_case forms such as he_normal).`,
      );
    }
    return make();
  }
  if (typeof value === 'object' && value !== null && typeof (value as Initializer).init === 'function') return value;
  throw new ValueError(
    `${argName}: expected an initializer name (${Object.keys(byName).join(', ')}) or an Initializer, received ` +
      `${describe(value)}.`,
  );
}
