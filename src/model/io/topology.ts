// A sequential model's topology in the tfjs-layers / Keras JSON form:
//   { class_name: 'Sequential', config: { name, layers: [{ class_name, config }] } }
// Configs are written as tfjs's convertTsToPythonic writes them (snake_case keys and string values,
// layer names kept, `{ class_name, config }` for nested objects) so that tfjs and Keras read them;
// the first layer carries the model's `batch_input_shape`. Regularizers are written as L1L2, the one
// class both tfjs and Keras know.

import { DataError, ValueError, describe } from '../../errors.js';
import type { Layer, LayerConfig } from '../../layers/layer.js';
import { layerFromConfig } from '../../layers/registry.js';

export interface LayerEntry {
  class_name: string;
  config: Record<string, unknown>;
}

export interface SequentialTopology {
  class_name: 'Sequential';
  config: { name: string; layers: LayerEntry[] };
  keras_version?: string;
  backend?: string;
}

/** camelCase → snake_case, as tfjs's toSnakeCase (`useBias` → `use_bias`, `fanAvg` → `fan_avg`). */
export function snakeCase(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

const REGULARIZER_CLASSES = new Set(['L1', 'L2', 'L1L2']);

/** A getConfig() value in the saved (pythonic) form. */
function pythonic(value: unknown, key: string | null): unknown {
  if (typeof value === 'string') return key === 'name' ? value : snakeCase(value);
  if (Array.isArray(value)) return value.map((v) => pythonic(v, null));
  if (typeof value !== 'object' || value === null) return value;
  const o = value as Record<string, unknown>;
  if (typeof o.className === 'string' && 'config' in o) {
    const config = (o.config ?? {}) as Record<string, unknown>;
    if (REGULARIZER_CLASSES.has(o.className))
      return { class_name: 'L1L2', config: { l1: config.l1 ?? 0, l2: config.l2 ?? 0 } };
    return { class_name: o.className, config: pythonic(config, null) };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[snakeCase(k)] = pythonic(v, k);
  return out;
}

/** The topology of a stack of layers whose first input has `inputShape` (without the batch axis). */
export function toTopology(name: string, layers: readonly Layer[], inputShape: readonly number[]): SequentialTopology {
  return {
    class_name: 'Sequential',
    config: {
      name,
      layers: layers.map((layer, i) => {
        const config: LayerConfig = { ...layer.getConfig() };
        delete config.batchInputShape;
        if (i === 0) config.batchInputShape = [null, ...inputShape];
        return { class_name: layer.className, config: pythonic(config, null) as Record<string, unknown> };
      }),
    },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
}

export interface ParsedTopology {
  readonly name: string | undefined;
  readonly layers: Layer[];
}

/**
 * Rebuilds the layers of a saved topology (tfjs's, Keras 2's list form, or a converter's
 * `model_config` wrapper). Only the first layer may declare the input shape.
 */
export function fromTopology(topology: unknown, where = 'modelTopology'): ParsedTopology {
  if (typeof topology !== 'object' || topology === null || Array.isArray(topology))
    throw new DataError(
      `${where}: expected an object { class_name: 'Sequential', config }, received ${describe(topology)}.`,
    );
  let t = topology as Record<string, unknown>;
  if (t.class_name === undefined && typeof t.model_config === 'object' && t.model_config !== null) {
    t = t.model_config as Record<string, unknown>;
    where = `${where}.model_config`;
  }
  const className = t.class_name ?? t.className;
  if (className !== 'Sequential') {
    throw new DataError(
      `${where}: class_name ${describe(className)} is not supported; simdnet loads Sequential models (a functional ` +
        `'Model' needs the functional API, which simdnet does not have yet).`,
    );
  }
  const config = t.config;
  const entries = Array.isArray(config)
    ? config
    : typeof config === 'object' && config !== null
      ? (config as Record<string, unknown>).layers
      : undefined;
  if (!Array.isArray(entries))
    throw new DataError(
      `${where}.config.layers: expected an array of { class_name, config }, received ${describe(entries)}.`,
    );
  const name =
    !Array.isArray(config) && typeof (config as Record<string, unknown>).name === 'string'
      ? ((config as Record<string, unknown>).name as string)
      : undefined;
  const layers = entries.map((entry: unknown, i: number) => {
    const at = `${where}.config.layers[${i}]`;
    if (typeof entry !== 'object' || entry === null)
      throw new DataError(`${at}: expected { class_name, config }, received ${describe(entry)}.`);
    const e = entry as Record<string, unknown>;
    const layerConfig = { ...((e.config ?? {}) as Record<string, unknown>) };
    if (i > 0) {
      // Only the first layer declares the input; Keras repeats it on later layers at times.
      delete layerConfig.batch_input_shape;
      delete layerConfig.batchInputShape;
    }
    try {
      return layerFromConfig(e.class_name ?? e.className, layerConfig, at);
    } catch (err) {
      if (err instanceof ValueError) throw new DataError(err.message);
      throw err;
    }
  });
  return { name, layers };
}
