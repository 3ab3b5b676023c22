// Dropout: during training, each input is zeroed with probability `rate` and the kept ones are scaled
// by 1/(1 − rate) (inverted dropout, so inference is the identity); at inference it adds nothing.

import { ValueError, describe } from '../errors.js';
import { dropout as dropoutOp } from '../graph/ops/dropout.js';
import type { SymbolicTensor } from '../graph/tensor.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from './layer.js';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). 0 disables the layer. */
  rate: number;
  /**
   * Mixed into this layer's mask stream (with the model's per-step seed, which `setSeed` or the
   * model's `seed` make reproducible): two models differing only here draw different masks.
   */
  seed?: number;
}

/** Checks a dropout rate: a number in [0, 1). */
export function dropoutRate(value: unknown, layerName: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new ValueError(
      `${layerName}: rate: expected a number in [0, 1) (the fraction of inputs to drop), received ` +
        `${describe(value)}. Use 0 to disable dropout; 1 would drop everything.`,
    );
  }
  return value;
}

/** Checks an optional integer seed in [0, 2³² − 1]. */
export function optionalSeed(value: unknown, layerName: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new ValueError(`${layerName}: seed: expected an integer in [0, 4294967295], received ${describe(value)}.`);
  }
  return value;
}

/**
 * The salt of the next random op of the graph `ctx` builds: its position among the graph's random ops
 * (the same in every program of a model, so the main and tail batches of an epoch draw from the same
 * streams) mixed with the layer's own seed.
 */
export function nextSalt(ctx: CallContext, seed: number | null): number {
  return (Math.imul(seed ?? 0, 0x9e3779b1) + Math.imul(ctx.nextSalt(), 0x632be5ab)) >>> 0;
}

/** What the dropout layers share: a checked rate and seed, shape-preserving, identity at inference. */
export abstract class RandomDropLayer extends Layer {
  readonly rate: number;
  readonly seed: number | null;

  constructor(args: DropoutArgs, className: string, example: string) {
    if (typeof args !== 'object' || args === null) {
      throw new ValueError(
        `${className[0].toLowerCase()}${className.slice(1)}: expected an options object such as ${example}, received ` +
          `${describe(args)}.`,
      );
    }
    super(args, className);
    this.rate = dropoutRate(args.rate, this.name);
    this.seed = optionalSeed(args.seed, this.name);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  getConfig(): LayerConfig {
    return { name: this.name, trainable: this.trainable, rate: this.rate, seed: this.seed };
  }
}

export class Dropout extends RandomDropLayer {
  readonly className = 'Dropout';

  constructor(args: DropoutArgs) {
    super(args, 'Dropout', '{ rate: 0.2 }');
  }

  call(x: SymbolicTensor, ctx: CallContext): SymbolicTensor {
    if (!ctx.training || this.rate === 0) return x;
    return dropoutOp(x, { kind: 'dropout', rate: this.rate }, ctx.stepSeed, nextSalt(ctx, this.seed))[0];
  }
}

/**
 * Randomly zeroes a fraction `rate` of its inputs during training (`fit`) and scales the rest by
 * 1/(1 − rate); `predict` and `evaluate` pass the inputs through unchanged.
 *
 * @example
 * layers.dropout({ rate: 0.2 });
 */
export function dropout(args: DropoutArgs): Dropout {
  return new Dropout(args);
}
