// Variance scaling (Keras's definitions): draws with variance scale / n, where n is the fan-in, the
// fan-out or their mean. A normal truncated at ±2σ has only 0.7737 of the variance of the untruncated
// one, so its σ is divided by 0.8796 (the truncated standard normal's standard deviation) to keep the
// variance at scale / n; a uniform U(−l, l) has variance l²/3, hence l = sqrt(3·scale / n).
// Glorot = scale 1 over fanAvg, He = scale 2 over fanIn, LeCun = scale 1 over fanIn.

import { ValueError, describe } from '../errors.js';
import { fans } from './fans.js';
import type { Initializer } from './initializer.js';
import { fill, truncatedStandardNormal } from './random.js';

export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
export type VarianceDistribution = 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

/** Standard deviation of a standard normal truncated to [−2, 2]. */
const TRUNCATED_STDDEV = 0.87962566103423978;

const MODES: Record<string, FanMode> = {
  fanIn: 'fanIn',
  fanOut: 'fanOut',
  fanAvg: 'fanAvg',
  fan_in: 'fanIn',
  fan_out: 'fanOut',
  fan_avg: 'fanAvg',
};
const DISTRIBUTIONS: Record<string, VarianceDistribution> = {
  truncatedNormal: 'truncatedNormal',
  untruncatedNormal: 'untruncatedNormal',
  uniform: 'uniform',
  truncated_normal: 'truncatedNormal',
  untruncated_normal: 'untruncatedNormal',
};

export interface VarianceScalingArgs {
  /** Variance numerator, > 0 (default 1). */
  scale?: number;
  /** Which fan divides the scale (default 'fanIn'; Keras's 'fan_in' spelling is accepted too). */
  mode?: FanMode | 'fan_in' | 'fan_out' | 'fan_avg';
  /** Default 'truncatedNormal' ('truncated_normal' accepted). */
  distribution?: VarianceDistribution | 'truncated_normal' | 'untruncated_normal';
}

function checkedArgs(args: VarianceScalingArgs): { scale: number; mode: FanMode; distribution: VarianceDistribution } {
  if (typeof args !== 'object' || args === null) {
    throw new ValueError(
      `initializers.varianceScaling: expected an options object such as { scale: 2, mode: 'fanAvg', distribution: ` +
        `'uniform' }, received ${describe(args)}.`,
    );
  }
  const scale = args.scale ?? 1;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) {
    throw new ValueError(
      `initializers.varianceScaling: scale: expected a finite number > 0, received ${describe(scale)}.`,
    );
  }
  const modeName: unknown = args.mode ?? 'fanIn';
  const mode = typeof modeName === 'string' && Object.hasOwn(MODES, modeName) ? MODES[modeName] : undefined;
  if (!mode) {
    throw new ValueError(
      `initializers.varianceScaling: mode: expected one of 'fanIn', 'fanOut', 'fanAvg' (or 'fan_in', 'fan_out', ` +
        `'fan_avg'), received ${describe(modeName)}.`,
    );
  }
  const distName: unknown = args.distribution ?? 'truncatedNormal';
  const distribution =
    typeof distName === 'string' && Object.hasOwn(DISTRIBUTIONS, distName) ? DISTRIBUTIONS[distName] : undefined;
  if (!distribution) {
    const hint = distName === 'normal' ? " (tfjs's 'normal' is a truncated normal: use 'truncatedNormal')" : '';
    throw new ValueError(
      `initializers.varianceScaling: distribution: expected one of 'truncatedNormal', 'untruncatedNormal', 'uniform' ` +
        `(or 'truncated_normal', 'untruncated_normal'), received ${describe(distName)}${hint}.`,
    );
  }
  return { scale, mode, distribution };
}

function make(
  className: string,
  scale: number,
  mode: FanMode,
  distribution: VarianceDistribution,
  config: () => Record<string, number | string>,
): Initializer {
  return {
    className,
    init(shape, rng) {
      const { fanIn, fanOut } = fans(shape);
      const n = mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
      const variance = scale / Math.max(1, n);
      if (distribution === 'uniform') {
        const limit = Math.sqrt(3 * variance);
        return fill(shape, () => (2 * rng.uniform() - 1) * limit);
      }
      if (distribution === 'untruncatedNormal') {
        const stddev = Math.sqrt(variance);
        return fill(shape, () => stddev * rng.normal());
      }
      const stddev = Math.sqrt(variance) / TRUNCATED_STDDEV;
      return fill(shape, () => stddev * truncatedStandardNormal(rng));
    },
    getConfig: config,
  };
}

/**
 * Draws with variance scale / n (n: fan-in, fan-out or their mean), from a truncated normal, a normal
 * or a uniform distribution.
 *
 * @example
 * // the reference notebook's VarianceScaling(scale=2., mode='fan_avg', distribution='uniform')
 * layers.dense({
 *   units: 300,
 *   kernelInitializer: initializers.varianceScaling({ scale: 2, mode: 'fanAvg', distribution: 'uniform' }),
 * });
 */
export function varianceScaling(args: VarianceScalingArgs = {}): Initializer {
  const { scale, mode, distribution } = checkedArgs(args);
  return make('VarianceScaling', scale, mode, distribution, () => ({ scale, mode, distribution }));
}

function preset(
  className: string,
  scale: number,
  mode: FanMode,
  distribution: VarianceDistribution,
): () => Initializer {
  return () => make(className, scale, mode, distribution, () => ({}));
}

/**
 * Glorot (Xavier) uniform: U(−l, l), l = sqrt(6 / (fanIn + fanOut)). The default for dense kernels.
 *
 * @example
 * layers.dense({ units: 10, kernelInitializer: initializers.glorotUniform() });
 */
export const glorotUniform: () => Initializer = preset('GlorotUniform', 1, 'fanAvg', 'uniform');

/**
 * Glorot (Xavier) normal: truncated normal with variance 2 / (fanIn + fanOut).
 *
 * @example
 * layers.dense({ units: 10, kernelInitializer: initializers.glorotNormal() });
 */
export const glorotNormal: () => Initializer = preset('GlorotNormal', 1, 'fanAvg', 'truncatedNormal');

/**
 * He uniform: U(−l, l), l = sqrt(6 / fanIn). For ReLU layers.
 *
 * @example
 * layers.dense({ units: 300, activation: 'relu', kernelInitializer: initializers.heUniform() });
 */
export const heUniform: () => Initializer = preset('HeUniform', 2, 'fanIn', 'uniform');

/**
 * He normal: truncated normal with variance 2 / fanIn. For ReLU layers.
 *
 * @example
 * layers.dense({ units: 300, activation: 'relu', kernelInitializer: initializers.heNormal() });
 */
export const heNormal: () => Initializer = preset('HeNormal', 2, 'fanIn', 'truncatedNormal');

/**
 * LeCun uniform: U(−l, l), l = sqrt(3 / fanIn). For SELU layers.
 *
 * @example
 * layers.dense({ units: 100, kernelInitializer: initializers.lecunUniform() });
 */
export const lecunUniform: () => Initializer = preset('LecunUniform', 1, 'fanIn', 'uniform');

/**
 * LeCun normal: truncated normal with variance 1 / fanIn. For SELU layers.
 *
 * @example
 * layers.dense({ units: 100, kernelInitializer: initializers.lecunNormal() });
 */
export const lecunNormal: () => Initializer = preset('LecunNormal', 1, 'fanIn', 'truncatedNormal');
