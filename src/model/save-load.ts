// Saving and loading whole models in the tfjs-layers format: model.json (topology, weight manifest,
// training configuration) plus binary weight files, with simdnet's own block for what that format
// has no slot for (optimizer state, epoch, generator state). Where it goes is chosen by the URL's
// scheme: `file://` (Node; a plain path too), `indexeddb://`, `downloads://`, or any IOHandler.

import { DataError, StateError, ValueError, describe } from '../errors.js';
import * as lossFactories from '../losses/index.js';
import { resolveLoss, type Loss } from '../losses/losses.js';
import { resolveMetrics } from '../metrics/metrics.js';
import { uniqueName } from '../layers/layer.js';
import { Tensor } from '../tensor.js';
import { matchOptimizerState, restoreOptimizer, optimizerState } from './io/optimizer-state.js';
import { fromTopology, snakeCase, toTopology } from './io/topology.js';
import type {
  IOHandler,
  LoadedSource,
  ModelArtifacts,
  ModelJson,
  SimdnetBlock,
  TrainingConfig,
  WeightGroup,
} from './io/types.js';
import { checkGroup, decodeGroup, encodeGroup } from './io/weights.js';
import { Sequential } from './sequential.js';

/** The layout version this simdnet writes and reads. */
export const FORMAT_VERSION = 1;
const GENERATED_BY = 'simdnet 0.1.0';
const SCHEMES = ['file://', 'indexeddb://', 'downloads://'];

export interface LoadArgs {
  /**
   * Whether to restore the saved optimizer state (default true). With false, the optimizer starts
   * afresh (step 0, zero moments), as after compile: the way to load a file whose state does not
   * match the model.
   */
  includeOptimizer?: boolean;
}

export interface SaveArgs {
  /** Epochs completed, recorded for resuming (default: the model's `epoch`). */
  epoch?: number;
  /** Whether to save the optimizer's state (default true). */
  includeOptimizer?: boolean;
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

function isHandler(value: unknown): value is IOHandler {
  return (
    typeof value === 'object' &&
    value !== null &&
    (typeof (value as IOHandler).save === 'function' || typeof (value as IOHandler).load === 'function')
  );
}

/** The storage a URL names (or the handler itself). */
export async function handlerFor(destination: unknown, where: string): Promise<IOHandler> {
  if (isHandler(destination)) return destination;
  if (typeof destination !== 'string' || destination.length === 0) {
    throw new ValueError(
      `${where}: expected a URL such as 'file://./my-model', 'indexeddb://my-model' or 'downloads://my-model' (or an ` +
        `IOHandler), received ${describe(destination)}.`,
    );
  }
  if (destination.startsWith('indexeddb://')) {
    const { IndexedDbHandler } = await import('./io/indexeddb.js');
    return new IndexedDbHandler(destination.slice('indexeddb://'.length));
  }
  if (destination.startsWith('downloads://')) {
    const { BrowserDownloadHandler } = await import('./io/browser-download.js');
    return new BrowserDownloadHandler(destination.slice('downloads://'.length));
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(destination);
  if (scheme && scheme[1].toLowerCase() !== 'file') {
    throw new ValueError(
      `${where}: unsupported URL scheme ${JSON.stringify(`${scheme[1]}://`)}; known: ${SCHEMES.join(', ')} (or pass ` +
        `an IOHandler).`,
    );
  }
  if (!isNode())
    throw new ValueError(
      `${where}: ${JSON.stringify(destination)} is a file path, which only Node can use; in a browser use ` +
        `'indexeddb://name' or 'downloads://name'.`,
    );
  const { FileHandler } = await import('./io/file.js');
  return new FileHandler(destination);
}

/** The artifacts of a model: topology, weights, training configuration and state. */
export function modelArtifacts(model: Sequential, args: SaveArgs = {}): ModelArtifacts {
  const inputShape = model.inputShape;
  if (!inputShape)
    throw new StateError(
      `save: model ${model.name} is not built yet: give the first layer an inputShape or call fit/predict first, ` +
        `then save.`,
    );
  const variables = model.layers.flatMap((l) => l.weights);
  const seen = new Set<string>();
  for (const v of variables) {
    if (seen.has(v.name)) {
      throw new StateError(
        `save: model ${model.name} has two weights named ${v.name} (two layers share a name); weights are saved by ` +
          `name: give the layers distinct names (layers.dense({ name: 'head', … })).`,
      );
    }
    seen.add(v.name);
  }
  const files = new Map<string, Uint8Array>();
  const weights = encodeGroup(
    'weights.bin',
    variables.map((v) => ({ name: v.name, tensor: v.read() })),
  );
  files.set('weights.bin', weights.bytes);
  const epoch = args.epoch ?? model.epoch;
  if (!Number.isInteger(epoch) || epoch < 0)
    throw new ValueError(`save: epoch: expected an integer >= 0, received ${describe(args.epoch)}.`);
  const simdnet: SimdnetBlock = {
    formatVersion: FORMAT_VERSION,
    epoch,
    generatorState: model.generator.getState().map((s) => (Number.isNaN(s) ? null : s)),
  };
  let trainingConfig: TrainingConfig | undefined;
  const loss = model.loss;
  const optimizer = model.optimizer;
  if (loss && optimizer) {
    trainingConfig = {
      loss: snakeCase(loss.name),
      metrics: model.metricList.filter((m) => !m.weighted).map((m) => m.key),
      optimizer_config: { class_name: optimizer.className, config: { ...optimizer.getConfig() } },
    };
    simdnet.loss = { name: loss.name, config: { ...loss.getConfig() } };
    // tfjs refuses a trainingConfig with weighted_metrics, so they live here.
    const weighted = model.metricList.filter((m) => m.weighted).map((m) => m.key);
    if (weighted.length > 0) simdnet.weightedMetrics = weighted;
    const state = optimizerState(optimizer);
    if (state && args.includeOptimizer !== false) {
      // A state loaded and not trained on yet has no slots: it is named after the weights it will train.
      const names = state.slotNames(model.layers.flatMap((l) => l.trainableWeights));
      const values = state.getWeights();
      const encoded = encodeGroup(
        'optimizer.bin',
        values.map((tensor, i) => ({ name: `optimizer/${names[i]}`, tensor })),
      );
      simdnet.optimizerWeights = encoded.group;
      files.set('optimizer.bin', encoded.bytes);
    }
  }
  const json: ModelJson = {
    modelTopology: toTopology(model.name, model.layers, inputShape),
    weightsManifest: [weights.group],
    format: 'layers-model',
    generatedBy: GENERATED_BY,
    convertedBy: null,
    ...(trainingConfig ? { trainingConfig } : {}),
    simdnet,
  };
  return { json, files };
}

/**
 * Saves a model (topology, weights, training configuration, optimizer state, epoch and generator
 * state) in the tfjs-layers format; `model.save(url)` calls this.
 *
 * @example
 * await saveModel(model, 'file://./my-model');     // my-model/model.json + weights.bin (+ optimizer.bin)
 */
export async function saveModel(
  model: Sequential,
  destination: string | IOHandler,
  args: SaveArgs = {},
): Promise<void> {
  if (!(model instanceof Sequential))
    throw new ValueError(`save: expected a Sequential model, received ${describe(model)}.`);
  if (typeof args !== 'object' || args === null)
    throw new ValueError(`save: options: expected an object such as { epoch: 3 }, received ${describe(args)}.`);
  const handler = await handlerFor(destination, 'save');
  if (typeof handler.save !== 'function') throw new ValueError(`save: this handler can only load.`);
  await handler.save(modelArtifacts(model, args));
}

/**
 * Advances the automatic names past the loaded ones (`dense_3` → the next new dense layer is at
 * least `dense_4`), so that layers created after loading do not take a loaded layer's name (weights
 * are saved by name).
 */
function reserveNames(names: readonly string[]): void {
  for (const name of names) {
    const m = /^([a-z][a-z0-9_]*?)(?:_(\d+))?$/.exec(name);
    if (!m) continue;
    const index = m[2] === undefined ? 0 : Number(m[2]);
    if (index > 1000) continue;
    for (let i = 0; i <= index; i++) {
      const taken = uniqueName(m[1]);
      if (taken === name || Number(/_(\d+)$/.exec(taken)?.[1] ?? 0) >= index) break;
    }
  }
}

function field(json: Record<string, unknown>, key: string, source: string): unknown {
  if (json[key] === undefined || json[key] === null) {
    throw new DataError(
      `loadModel: ${source} has no ${key}; a tfjs-layers model.json holds modelTopology and weightsManifest (is it a ` +
        `graph model, or another JSON file?).`,
    );
  }
  return json[key];
}

async function readGroup(source: LoadedSource, group: WeightGroup, where: string) {
  const shards = await Promise.all(group.paths.map((p) => source.readFile(p)));
  return decodeGroup(group, shards, `${source.description}: ${where}`);
}

function lossFromSaved(simdnet: Partial<SimdnetBlock> | undefined, training: Record<string, unknown>): Loss {
  const saved = simdnet?.loss;
  const factories = lossFactories as unknown as Record<string, (config: Record<string, unknown>) => Loss>;
  if (saved && typeof saved.name === 'string' && typeof factories[saved.name] === 'function')
    return factories[saved.name](saved.config ?? {});
  const name = training.loss;
  return resolveLoss(typeof name === 'string' ? name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) : name);
}

function metricNames(value: unknown, loss: Loss, weighted: boolean): string[] {
  if (!Array.isArray(value)) return [];
  // Metrics saved by a name simdnet knows come back; others (custom names) must be compiled again.
  return value.filter((m): m is string => {
    if (typeof m !== 'string') return false;
    try {
      resolveMetrics(weighted ? [] : [m as never], weighted ? [m as never] : [], loss);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Loads a model saved by `model.save` or by tfjs-layers (`model.json` and its weight files): the
 * layers with their weights and, when saved, the compile settings, optimizer state, epoch and
 * generator state, so that `fit({ initialEpoch: model.epoch })` continues where training stopped.
 * Nothing is returned unless everything loaded, the optimizer state included: it must hold, for every
 * trainable weight, each slot the optimizer keeps, by name and shape.
 *
 * @example
 * const model = await loadModel('file://./my-model');          // or 'file://./my-model/model.json'
 * await model.fit(x, y, { epochs: 10, initialEpoch: model.epoch });
 * const fresh = await loadModel('file://./my-model', { includeOptimizer: false });   // optimizer from step 0
 */
export async function loadModel(source: string | IOHandler, args: LoadArgs = {}): Promise<Sequential> {
  if (typeof args !== 'object' || args === null)
    throw new ValueError(
      `loadModel: options: expected an object such as { includeOptimizer: false }, received ${describe(args)}.`,
    );
  if (args.includeOptimizer !== undefined && typeof args.includeOptimizer !== 'boolean') {
    throw new ValueError(
      `loadModel: includeOptimizer: expected true or false, received ${describe(args.includeOptimizer)}.`,
    );
  }
  const handler = await handlerFor(source, 'loadModel');
  if (typeof handler.load !== 'function') throw new ValueError(`loadModel: this handler can only save.`);
  const loaded = await handler.load();
  const where = loaded.description;
  if (typeof loaded.json !== 'object' || loaded.json === null || Array.isArray(loaded.json))
    throw new DataError(`loadModel: ${where} holds ${describe(loaded.json)}, expected a model.json object.`);
  const json = loaded.json as Record<string, unknown>;
  const simdnet = json.simdnet as Partial<SimdnetBlock> | undefined;
  if (
    simdnet !== undefined &&
    (typeof simdnet !== 'object' || simdnet === null || simdnet.formatVersion !== FORMAT_VERSION)
  ) {
    throw new DataError(
      `loadModel: ${where} has simdnet format version ` +
        `${describe((simdnet as Partial<SimdnetBlock> | null)?.formatVersion)}; this simdnet reads version ` +
        `${FORMAT_VERSION}: load it with the simdnet that saved it (or a newer one).`,
    );
  }
  if (json.format !== undefined && json.format !== 'layers-model') {
    throw new DataError(
      `loadModel: ${where} has format ${describe(json.format)}; simdnet loads 'layers-model' files (a 'graph-model' ` +
        `holds no layers to train).`,
    );
  }
  const topology = field(json, 'modelTopology', where);
  const manifest = field(json, 'weightsManifest', where);
  if (!Array.isArray(manifest))
    throw new DataError(
      `loadModel: ${where}: weightsManifest: expected an array of { paths, weights }, received ${describe(manifest)}.`,
    );
  const groups = manifest.map((g, i) => checkGroup(g, `weightsManifest[${i}]`));
  const optimizerGroup =
    simdnet?.optimizerWeights && args.includeOptimizer !== false
      ? checkGroup(simdnet.optimizerWeights, 'simdnet.optimizerWeights')
      : null;
  const { name, layers } = fromTopology(topology);

  // Every file is read and checked before a model exists.
  const weights = new Map<string, Tensor>();
  for (const [i, group] of groups.entries()) {
    for (const { spec, tensor } of await readGroup(loaded, group, `weightsManifest[${i}]`)) {
      if (spec.group === 'optimizer') continue; // tfjs's own optimizer weights: its slot names, not ours
      weights.set(
        spec.name,
        tensor.dtype === 'float32' ? tensor : new Tensor(Float32Array.from(tensor.data), tensor.shape),
      );
    }
  }
  const optimizerWeights = optimizerGroup
    ? (await readGroup(loaded, optimizerGroup, 'simdnet.optimizerWeights')).map((w) => ({
        name: w.spec.name,
        tensor: w.tensor,
      }))
    : null;

  const model = new Sequential(layers, name ? { name } : {});
  reserveNames([model.name, ...model.layers.map((l) => l.name)]);
  try {
    if (!model.inputShape)
      throw new DataError(
        `loadModel: ${where}: the first layer declares no batch_input_shape, so the weights' shapes are unknown; ` +
          `save the model after building it.`,
      );
    const variables = model.layers.flatMap((l) => l.weights);
    const missing = variables.filter((v) => !weights.has(v.name)).map((v) => v.name);
    const extra = [...weights.keys()].filter((n) => !variables.some((v) => v.name === n));
    if (missing.length > 0 || extra.length > 0) {
      throw new DataError(
        `loadModel: ${where}: the weight files do not match the layers: ` +
          `${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}` +
          `${extra.length ? `unexpected ${extra.join(', ')}` : ''}.`,
      );
    }
    const values = variables.map((v) => weights.get(v.name)!);
    variables.forEach((v, i) => {
      if (values[i].shape.join(',') !== v.shape.join(','))
        throw new DataError(
          `loadModel: ${where}: weight ${v.name} has shape [${values[i].shape.join(', ')}] in the file, the layer ` +
            `needs [${v.shape.join(', ')}].`,
        );
    });
    for (const [i, v] of variables.entries()) v.assign(values[i]);

    const training = json.trainingConfig as Record<string, unknown> | undefined;
    if (training && typeof training === 'object') {
      const loss = lossFromSaved(simdnet, training);
      const oc = training.optimizer_config as { class_name?: unknown; config?: unknown } | undefined;
      const optimizer = restoreOptimizer(
        oc?.class_name,
        (oc?.config ?? {}) as Record<string, unknown>,
        `${where}: trainingConfig.optimizer_config`,
      );
      model.compile({
        optimizer,
        loss,
        metrics: metricNames(training.metrics, loss, false) as never[],
        weightedMetrics: metricNames(simdnet?.weightedMetrics ?? training.weighted_metrics, loss, true) as never[],
      });
      if (optimizerWeights) {
        const state = optimizerState(optimizer);
        if (!state)
          throw new DataError(
            `loadModel: ${where} holds optimizer state, but this ${optimizer.className} optimizer cannot take it.`,
          );
        const trainable = model.layers.flatMap((l) => l.trainableWeights);
        state.setWeights(
          matchOptimizerState(optimizer, trainable, optimizerWeights, `${where}: simdnet.optimizerWeights`),
        );
      }
    }
    if (simdnet) {
      const g = simdnet.generatorState;
      if (
        !Array.isArray(g) ||
        g.length !== 5 ||
        !g.slice(0, 4).every((s) => Number.isInteger(s) && (s as number) >= 0)
      ) {
        throw new DataError(
          `loadModel: ${where}: simdnet.generatorState: expected 4 integers and a number or null, received ` +
            `${describe(g)}.`,
        );
      }
      if (!Number.isInteger(simdnet.epoch) || (simdnet.epoch as number) < 0)
        throw new DataError(
          `loadModel: ${where}: simdnet.epoch: expected an integer >= 0, received ${describe(simdnet.epoch)}.`,
        );
      model.generator.setState(g.map((s) => (s === null ? NaN : (s as number))));
      model.epoch = simdnet.epoch as number;
    }
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}
