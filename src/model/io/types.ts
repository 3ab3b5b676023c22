// The saved form of a model (tfjs-layers' model.json plus binary weight files) and the small
// interface every storage (files, IndexedDB, browser downloads) implements.

import type { SequentialTopology } from './topology.js';

/** One tensor in a weight group: its bytes follow the previous tensor's in the group's files. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  /** tfjs marks its own optimizer weights `group: 'optimizer'`. */
  group?: string;
}

/** A manifest entry: the files (shards, concatenated in order) holding these tensors. */
export interface WeightGroup {
  paths: string[];
  weights: WeightSpec[];
}

export interface TrainingConfig {
  /** The loss's Keras name (`sparse_categorical_crossentropy`). */
  loss: string;
  metrics: string[];
  optimizer_config: { class_name: string; config: Record<string, unknown> };
}

/** simdnet's own block: what tfjs's format has no slot for. tfjs ignores unknown top-level keys. */
export interface SimdnetBlock {
  /** 1 for this layout; a loader refuses versions it does not know. */
  formatVersion: number;
  /** Epochs completed when saved (pass it as fit's initialEpoch to continue). */
  epoch: number;
  /** The model's generator (shuffling, dropout masks): xoshiro128** words and the spare normal (null if none). */
  generatorState: (number | null)[];
  /** The loss with its options, which trainingConfig's name alone does not carry. */
  loss?: { name: string; config: Record<string, unknown> };
  /** compile's weightedMetrics (tfjs refuses trainingConfig.weighted_metrics). */
  weightedMetrics?: string[];
  /**
   * The optimizer's state (`optimizer.getWeights()`), in a file of its own: tfjs's loader would hand a manifest group
   * to its own optimizer.
   */
  optimizerWeights?: WeightGroup;
}

/** model.json. */
export interface ModelJson {
  modelTopology: SequentialTopology;
  weightsManifest: WeightGroup[];
  format: 'layers-model';
  generatedBy: string;
  convertedBy: string | null;
  trainingConfig?: TrainingConfig;
  simdnet: SimdnetBlock;
}

/** Everything a save writes: model.json's content and the binary files its manifests name. */
export interface ModelArtifacts {
  readonly json: ModelJson;
  /** File name (as in the manifests' `paths`) → bytes. */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/** What a loader reads: the parsed model.json (unchecked) and a reader for the files it names. */
export interface LoadedSource {
  /** Where it came from, for error messages. */
  readonly description: string;
  readonly json: unknown;
  /** The bytes of a file a manifest names; throws a DataError naming the file when it is missing. */
  readFile(path: string): Promise<Uint8Array>;
}

/**
 * A storage for saved models. `save` must be all-or-nothing: a reader sees the previous save or the
 * new one, never a mix.
 */
export interface IOHandler {
  save(artifacts: ModelArtifacts): Promise<void>;
  load(): Promise<LoadedSource>;
}
