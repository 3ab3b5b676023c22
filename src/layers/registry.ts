// Layers by class name, rebuilt from saved configs. Configs come as simdnet's getConfig() writes them
// (camelCase) or as tfjs and Keras save them (snake_case keys, `{ class_name, config }` for
// initializers and regularizers, `batch_input_shape` on the first layer): keys are camelCased first,
// so each entry reads one spelling. Options simdnet does not have (constraints, noise shapes, shared
// axes) are refused when set, never silently dropped.

import { ValueError, describe } from '../errors.js';
import { initializerFromConfig } from '../initializers/from-config.js';
import type { Initializer } from '../initializers/initializer.js';
import { regularizerFromConfig } from '../regularizers/from-config.js';
import { Activation } from './activation.js';
import type { ActivationName } from './activations.js';
import { AlphaDropout } from './alpha-dropout.js';
import { BatchNormalization } from './batch-normalization.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { ELU } from './elu.js';
import { Flatten } from './flatten.js';
import { InputLayer } from './input.js';
import type { Layer, LayerArgs } from './layer.js';
import { LayerNormalization } from './layer-normalization.js';
import { LeakyReLU } from './leaky-relu.js';
import { PReLU } from './prelu.js';
import { Reshape } from './reshape.js';
import { Softmax } from './softmax.js';

type Config = Record<string, unknown>;

/** snake_case → camelCase (`use_bias` → `useBias`); camelCase keys are unchanged. */
export function camelKey(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A config with camelCase keys (one level: nested initializer configs are read by their own loaders). */
function camelConfig(config: Config): Config {
  const out: Config = {};
  for (const [k, v] of Object.entries(config)) out[camelKey(k)] = v;
  return out;
}

/** The options every layer takes: name, trainable, and the input shape a first layer declares. */
function baseArgs(c: Config, where: string): LayerArgs {
  const batchShape = c.batchInputShape ?? c.batchShape;
  let inputShape: number[] | undefined;
  if (batchShape !== undefined && batchShape !== null) {
    if (!Array.isArray(batchShape) || batchShape.length < 2)
      throw new ValueError(
        `${where}: batch_input_shape: expected [null, ...sample shape], received ${describe(batchShape)}.`,
      );
    inputShape = batchShape.slice(1) as number[];
  } else if (Array.isArray(c.inputShape)) {
    inputShape = c.inputShape as number[];
  }
  return {
    ...(typeof c.name === 'string' ? { name: c.name } : {}),
    ...(typeof c.trainable === 'boolean' ? { trainable: c.trainable } : {}),
    ...(inputShape ? { inputShape } : {}),
  };
}

/** Refuses options simdnet does not implement when the saved config sets them. */
function refuse(c: Config, keys: readonly string[], where: string): void {
  for (const key of keys) {
    if (c[key] !== undefined && c[key] !== null)
      throw new ValueError(
        `${where}: option ${key} = ${JSON.stringify(c[key])} is not supported by simdnet; remove it from the saved ` +
          `config (or rebuild the layer without it).`,
      );
  }
}

const init = (c: Config, key: string, where: string): Initializer | undefined =>
  c[key] === undefined || c[key] === null ? undefined : initializerFromConfig(c[key], `${where}: ${key}`);
const reg = (c: Config, key: string, where: string) => regularizerFromConfig(c[key], `${where}: ${key}`);
const opt = <T>(c: Config, key: string): T | undefined =>
  c[key] === undefined || c[key] === null ? undefined : (c[key] as T);

type FromConfig = (c: Config, where: string) => Layer;

const registry = new Map<string, FromConfig>([
  [
    'Dense',
    (c, w) => {
      refuse(c, ['kernelConstraint', 'biasConstraint'], w);
      return new Dense({
        ...baseArgs(c, w),
        units: c.units as number,
        activation: opt<ActivationName>(c, 'activation'),
        useBias: opt<boolean>(c, 'useBias'),
        kernelInitializer: init(c, 'kernelInitializer', w),
        biasInitializer: init(c, 'biasInitializer', w),
        kernelRegularizer: reg(c, 'kernelRegularizer', w),
        biasRegularizer: reg(c, 'biasRegularizer', w),
        activityRegularizer: reg(c, 'activityRegularizer', w),
      });
    },
  ],
  [
    'Flatten',
    (c, w) => {
      if (
        c.dataFormat !== undefined &&
        c.dataFormat !== null &&
        c.dataFormat !== 'channels_last' &&
        c.dataFormat !== 'channelsLast'
      )
        refuse(c, ['dataFormat'], w);
      return new Flatten(baseArgs(c, w));
    },
  ],
  ['Reshape', (c, w) => new Reshape({ ...baseArgs(c, w), targetShape: c.targetShape as number[] })],
  ['Activation', (c, w) => new Activation({ ...baseArgs(c, w), activation: c.activation as ActivationName })],
  [
    'Dropout',
    (c, w) => {
      refuse(c, ['noiseShape'], w);
      return new Dropout({ ...baseArgs(c, w), rate: c.rate as number, seed: opt<number>(c, 'seed') });
    },
  ],
  [
    'AlphaDropout',
    (c, w) => {
      refuse(c, ['noiseShape'], w);
      return new AlphaDropout({ ...baseArgs(c, w), rate: c.rate as number, seed: opt<number>(c, 'seed') });
    },
  ],
  [
    'BatchNormalization',
    (c, w) => {
      refuse(c, ['betaRegularizer', 'gammaRegularizer', 'betaConstraint', 'gammaConstraint'], w);
      // Keras and tfjs write -1 or the absolute index of the last axis, which simdnet normalises.
      const axis = Array.isArray(c.axis) && c.axis.length === 1 ? c.axis[0] : (c.axis ?? -1);
      if (!Number.isInteger(axis))
        throw new ValueError(
          `${w}: axis: expected the last axis (-1), received ${describe(c.axis)}; simdnet normalises over the last ` +
            `axis only.`,
        );
      return new BatchNormalization({
        ...baseArgs(c, w),
        momentum: opt<number>(c, 'momentum'),
        epsilon: opt<number>(c, 'epsilon'),
        center: opt<boolean>(c, 'center'),
        scale: opt<boolean>(c, 'scale'),
        gammaInitializer: init(c, 'gammaInitializer', w),
        betaInitializer: init(c, 'betaInitializer', w),
        movingMeanInitializer: init(c, 'movingMeanInitializer', w),
        movingVarianceInitializer: init(c, 'movingVarianceInitializer', w),
      });
    },
  ],
  [
    'LayerNormalization',
    (c, w) => {
      refuse(c, ['betaConstraint', 'gammaConstraint'], w);
      // Keras 3 writes rms_scaling: false; true is another layer (RMS normalisation).
      if (c.rmsScaling !== undefined && c.rmsScaling !== null && c.rmsScaling !== false) refuse(c, ['rmsScaling'], w);
      return new LayerNormalization({
        ...baseArgs(c, w),
        axis: opt<number | number[]>(c, 'axis'),
        epsilon: opt<number>(c, 'epsilon'),
        center: opt<boolean>(c, 'center'),
        scale: opt<boolean>(c, 'scale'),
        gammaInitializer: init(c, 'gammaInitializer', w),
        betaInitializer: init(c, 'betaInitializer', w),
        gammaRegularizer: reg(c, 'gammaRegularizer', w),
        betaRegularizer: reg(c, 'betaRegularizer', w),
      });
    },
  ],
  // Keras 3 spells LeakyReLU's slope negative_slope.
  [
    'LeakyReLU',
    (c, w) => new LeakyReLU({ ...baseArgs(c, w), alpha: opt<number>(c, 'alpha') ?? opt<number>(c, 'negativeSlope') }),
  ],
  ['ELU', (c, w) => new ELU({ ...baseArgs(c, w), alpha: opt<number>(c, 'alpha') })],
  ['Softmax', (c, w) => new Softmax({ ...baseArgs(c, w), axis: opt<number>(c, 'axis') })],
  [
    'PReLU',
    (c, w) => {
      refuse(c, ['alphaRegularizer', 'alphaConstraint', 'sharedAxes'], w);
      return new PReLU({ ...baseArgs(c, w), alphaInitializer: init(c, 'alphaInitializer', w) });
    },
  ],
  [
    'InputLayer',
    (c, w) => {
      const args = baseArgs(c, w);
      if (!args.inputShape)
        throw new ValueError(`${w}: an InputLayer needs batch_input_shape (or batch_shape), received none.`);
      return new InputLayer({ shape: args.inputShape, ...(args.name ? { name: args.name } : {}) });
    },
  ],
]);

/** Class names `layerFromConfig` knows. */
export function knownLayerClasses(): string[] {
  return [...registry.keys()];
}

/**
 * Registers a layer class for loading (a custom layer: its `className` and how to rebuild it from
 * its camelCased config).
 *
 * @example
 * registerLayer('MyLayer', (config) => new MyLayer(config as MyLayerArgs));
 */
export function registerLayer(className: string, fromConfig: (config: Record<string, unknown>) => Layer): void {
  if (typeof className !== 'string' || className.length === 0)
    throw new ValueError(`registerLayer: className: expected a non-empty string, received ${describe(className)}.`);
  if (typeof fromConfig !== 'function')
    throw new ValueError(
      `registerLayer: fromConfig: expected a function (config) => Layer, received ${describe(fromConfig)}.`,
    );
  registry.set(className, (c) => fromConfig(c));
}

/**
 * Rebuilds a layer from its class name and saved config (Keras/tfjs snake_case or simdnet camelCase
 * keys). `where` prefixes errors (e.g. `modelTopology.config.layers[2]`).
 *
 * @example
 * layerFromConfig('Dense', { units: 10, activation: 'relu', use_bias: true });
 */
export function layerFromConfig(className: unknown, config: unknown, where = 'layer'): Layer {
  const make = typeof className === 'string' ? registry.get(className) : undefined;
  if (!make)
    throw new ValueError(
      `${where}: unknown layer class ${describe(className)}; known: ${knownLayerClasses().join(', ')} (registerLayer ` +
        `adds others).`,
    );
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new ValueError(`${where} (${className}): config: expected an object, received ${describe(config)}.`);
  const c = camelConfig(config as Config);
  try {
    return make(c, `${where} (${className}${typeof c.name === 'string' ? ` ${c.name}` : ''})`);
  } catch (e) {
    if (e instanceof ValueError && !e.message.startsWith(where))
      throw new ValueError(`${where} (${className}): ${e.message}`);
    throw e;
  }
}
