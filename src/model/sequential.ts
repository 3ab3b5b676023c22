// Sequential: a stack of layers, each feeding the next, with Keras's compile / fit / evaluate /
// predict / summary.

import { backendGeneration, duringFit, getBackend } from '../backend/index.js';
import type { Callback, History, Logs } from '../callbacks/callback.js';
import { ShapeError, StateError, ValueError, describe } from '../errors.js';
import { formatShape } from '../graph/op.js';
import { Layer, uniqueName } from '../layers/layer.js';
import { InputLayer } from '../layers/input.js';
import { resolveLoss, type Loss, type LossIdentifier } from '../losses/losses.js';
import { resolveMetrics, type Metric, type MetricIdentifier } from '../metrics/metrics.js';
import { resolveOptimizer, type Optimizer, type OptimizerName } from '../optimizers/index.js';
import { Generator, globalGenerator } from '../random.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { BatchWriter, checkInputShape, featuresOf, positiveIntegerOption, targetsOf } from './data.js';
import { EpochAccumulator } from './accumulator.js';
import { sampleWeightsOf } from './sample-weight.js';
import { classWeightsOf } from './class-weight.js';
import { splitAt, validationStart } from './validation-split.js';
import { checkFitArgs, fitLoop, type FitArgs } from './fit.js';
import { buildProgram, type Mode, type StepProgram } from './programs.js';
import { summaryRows, summaryText, type SummaryRow } from './summary.js';
import type { IOHandler } from './io/types.js';
import type { SaveArgs } from './save-load.js';

export interface SequentialArgs {
  /** Model name (default `sequential`, `sequential_1`…). */
  name?: string;
  /** Seed of the model's generator (weights, shuffling); default: drawn from the global generator. */
  seed?: number;
}

export interface CompileArgs {
  /** An optimizer instance, or a name with Keras's default settings (`'sgd'`, `'adam'`, `'rmsprop'`…). */
  optimizer: Optimizer | OptimizerName;
  /** The loss: a name (`'binaryCrossentropy'`, Keras's `'binary_crossentropy'`) or an object from `losses`. */
  loss: LossIdentifier;
  /** Metrics reported during training: names or objects from `metrics` (not weighted by sampleWeight). */
  metrics?: readonly MetricIdentifier[];
  /** Metrics weighted by fit's / evaluate's sampleWeight (Keras's weighted_metrics). */
  weightedMetrics?: readonly MetricIdentifier[];
}

export interface EvaluateArgs {
  /** Samples per step (default 32). */
  batchSize?: number;
  /** One non-negative weight per sample, multiplying each sample's loss (and weightedMetrics). */
  sampleWeight?: TensorLike;
}

export interface PredictArgs {
  /** Samples per step (default 32). */
  batchSize?: number;
}

interface Compiled {
  readonly optimizer: Optimizer;
  readonly loss: Loss;
  readonly metrics: readonly Metric[];
}

export class Sequential {
  readonly name: string;
  readonly layers: Layer[] = [];
  /** Set to true (by a callback) to end `fit` after the current batch. */
  stopTraining = false;
  readonly generator: Generator;
  private inputShapeValue: readonly number[] | null = null;
  private compiled: Compiled | null = null;
  private readonly programs = new Map<string, StepProgram>();
  /** The backend configuration the programs were compiled for (see backendGeneration). */
  private programsGeneration = -1;
  /** Set by dispose(): the weights are released, the model cannot run again. */
  private disposed = false;
  /** Each layer's `trainable` when compile() ran: as in Keras, changing it takes a new compile(). */
  private trainableAtCompile = new WeakMap<Layer, boolean>();
  /**
   * Epochs completed: advanced by fit, saved by save() and restored by loadModel, so that
   * `fit(x, y, { epochs, initialEpoch: model.epoch })` continues a run.
   */
  epoch = 0;

  constructor(layers: readonly Layer[] = [], args: SequentialArgs = {}) {
    if (!Array.isArray(layers))
      throw new ValueError(`sequential: expected an array of layers, received ${describe(layers)}.`);
    this.name = args.name ?? uniqueName('sequential');
    this.generator = args.seed !== undefined ? new Generator(args.seed) : globalGenerator().fork();
    for (const layer of layers) this.add(layer);
  }

  /** Appends a layer. The first layer's `inputShape` builds the model at once. */
  add(layer: Layer): void {
    if (!(layer instanceof Layer))
      throw new ValueError(`add: expected a layer (e.g. layers.dense({ units: 10 })), received ${describe(layer)}.`);
    if (this.layers.includes(layer))
      throw new ValueError(`add: layer ${layer.name} is already in model ${this.name}; create a new layer instead.`);
    if (layer instanceof InputLayer) {
      // As Keras 3: the input layer sets the input shape and builds; it is not one of `layers`.
      if (this.layers.length > 0 || this.inputShapeValue) {
        throw new ValueError(
          `add: ${layer.name} is an input layer, which must be the first entry of sequential model ${this.name}; the ` +
            `model already has ` +
            `${this.layers.length > 0 ? 'layers' : `input shape ${formatShape([null, ...this.inputShapeValue!])}`}.`,
        );
      }
      this.build(layer.shape);
      return;
    }
    if (this.layers.length === 0 && this.inputShapeValue && layer.inputShape) {
      throw new ValueError(
        `add: ${layer.name} declares inputShape, but model ${this.name} already has input shape ` +
          `${formatShape([null, ...this.inputShapeValue])}; remove one of them.`,
      );
    }
    if (this.layers.length > 0 && layer.inputShape) {
      throw new ValueError(
        `add: ${layer.name} declares inputShape, but only the first layer of a sequential model may; remove it.`,
      );
    }
    this.layers.push(layer);
    this.invalidate();
    if (this.layers.length === 1 && layer.inputShape) this.build(layer.inputShape);
    else if (this.inputShapeValue) this.buildLayers(this.inputShapeValue);
  }

  /** The shape of one input sample, once known. */
  get inputShape(): readonly number[] | null {
    return this.inputShapeValue;
  }

  /** Creates every layer's weights for samples of this shape. */
  build(inputShape: readonly number[]): void {
    this.buildLayers(inputShape);
    this.inputShapeValue = [...inputShape];
  }

  private buildLayers(inputShape: readonly number[]): void {
    let shape = inputShape;
    for (const layer of this.layers) {
      layer.build(shape, this.generator);
      shape = layer.computeOutputShape(shape);
    }
  }

  /** Output shape of one sample. */
  get outputShape(): number[] {
    let shape = this.requireBuilt('outputShape');
    for (const layer of this.layers) shape = layer.computeOutputShape(shape);
    return [...shape];
  }

  /**
   * Sets the optimizer, loss and metrics for training.
   *
   * @example
   * model.compile({
   *   optimizer: optimizers.sgd({ learningRate: 0.01 }),
   *   loss: 'sparseCategoricalCrossentropy',
   *   metrics: ['accuracy'],
   * });
   */
  compile(args: CompileArgs): void {
    if (typeof args !== 'object' || args === null)
      throw new ValueError(`compile: expected { optimizer, loss, metrics }, received ${describe(args)}.`);
    const optimizer = resolveOptimizer(args.optimizer);
    const loss = resolveLoss(args.loss);
    if (args.metrics !== undefined && !Array.isArray(args.metrics))
      throw new ValueError(
        `metrics: expected an array of metric names such as ['accuracy'], received ${describe(args.metrics)}.`,
      );
    if (args.weightedMetrics !== undefined && !Array.isArray(args.weightedMetrics)) {
      throw new ValueError(
        `weightedMetrics: expected an array of metric names such as ['accuracy'], received ` +
          `${describe(args.weightedMetrics)}.`,
      );
    }
    const metrics = resolveMetrics(args.metrics ?? [], args.weightedMetrics ?? [], loss);
    this.compiled = { optimizer, loss, metrics };
    this.trainableAtCompile = new WeakMap(this.layers.map((l) => [l, l.trainable]));
    this.invalidate();
  }

  get optimizer(): Optimizer | null {
    return this.compiled?.optimizer ?? null;
  }

  /** The compiled loss. */
  get loss(): Loss | null {
    return this.compiled?.loss ?? null;
  }

  /**
   * Saves the model in the tfjs-layers format (model.json + weights.bin), with the optimizer state,
   * epoch and generator state; atomic for `file://`. See `loadModel`.
   *
   * @example
   * // Node; 'indexeddb://my-model' or 'downloads://my-model' in a browser
   * await model.save('file://./my-model');
   */
  async save(destination: string | IOHandler, args: SaveArgs = {}): Promise<void> {
    // Loaded on demand: save-load imports this module, and its file handler imports node:fs.
    const { saveModel } = await import('./save-load.js');
    await saveModel(this, destination, args);
  }

  /** Names of the compiled metrics, as they appear in logs. */
  get metricKeys(): string[] {
    return this.metricList.map((m) => m.key);
  }

  /** The compiled metrics. */
  get metricList(): readonly Metric[] {
    return this.compiled?.metrics ?? [];
  }

  /**
   * Trains the model.
   *
   * @example
   * const history = await model.fit(xTrain, yTrain, { epochs: 10, batchSize: 32, validationData: [xValid, yValid] });
   * history.history.valAccuracy;
   */
  async fit(x: TensorLike, y: TensorLike, args: FitArgs = {}): Promise<History> {
    const compiled = this.requireCompiled('fit');
    const changed = this.layers.find(
      (l) => this.trainableAtCompile.has(l) && this.trainableAtCompile.get(l) !== l.trainable,
    );
    if (changed) {
      throw new StateError(
        `fit: ${changed.name}.trainable changed to ${changed.trainable} after model ${this.name} was compiled; as in ` +
          `Keras, call model.compile({ optimizer, loss, metrics }) again so that training uses it.`,
      );
    }
    const options = checkFitArgs(args);
    let xs = this.checkedFeatures(x, 'x');
    let ys = targetsOf(y, compiled.loss, this.outputShape, xs.shape[0], 'y', 'x');
    let validation: [Tensor, Tensor] | null = null;
    const samples = xs.shape[0];
    if (args.validationSplit !== undefined && args.validationData === undefined) {
      const parts = splitAt(xs, ys, validationStart(args.validationSplit, samples));
      [xs, ys, validation] = [parts.x, parts.y, [parts.xValid, parts.yValid]];
    }
    if (args.validationData !== undefined) {
      if (!Array.isArray(args.validationData) || args.validationData.length !== 2) {
        throw new ValueError(`validationData: expected [xValid, yValid], received ${describe(args.validationData)}.`);
      }
      const vx = this.checkedFeatures(args.validationData[0], 'validationData[0]');
      validation = [
        vx,
        targetsOf(
          args.validationData[1],
          compiled.loss,
          this.outputShape,
          vx.shape[0],
          'validationData[1]',
          'validationData[0]',
        ),
      ];
    }
    // Sample weights are given for all the samples; the held-out ones are validated unweighted, as Keras.
    const weights = sampleWeightsOf(args.sampleWeight, samples);
    const sampleWeight = classWeightsOf(
      args.classWeight,
      compiled.loss,
      this.outputShape,
      ys,
      weights ? weights.subarray(0, xs.shape[0]) : null,
    );
    // The worker threads (when the backend has more than one) run every step of this fit; the backend
    // cannot change from here on (duringFit).
    const history = await duringFit(async () => {
      this.followBackend();
      await getBackend().start();
      return fitLoop(this, xs, ys, validation, options, sampleWeight);
    });
    if (history.epoch.length > 0) this.epoch = history.epoch[history.epoch.length - 1] + 1;
    return history;
  }

  /**
   * Loss and metrics on data, computed in inference mode.
   *
   * @example
   * const { loss, accuracy } = model.evaluate(xTest, yTest);
   */
  evaluate(x: TensorLike, y: TensorLike, args: EvaluateArgs = {}): Logs {
    const compiled = this.requireCompiled('evaluate');
    const batchSize = positiveIntegerOption(args.batchSize, 'batchSize', 32);
    const xs = this.checkedFeatures(x, 'x');
    const ys = targetsOf(y, compiled.loss, this.outputShape, xs.shape[0], 'y', 'x');
    const sampleWeight = sampleWeightsOf(args.sampleWeight, xs.shape[0]);
    return this.evaluateTensors(xs, ys, batchSize, 'x', sampleWeight);
  }

  /** evaluate() on checked tensors (used by fit for validation); `xName` names x in errors. */
  evaluateTensors(
    x: Tensor,
    y: Tensor,
    batchSize: number,
    xName: string,
    sampleWeight: Float32Array | null = null,
  ): Logs {
    const figures = new EpochAccumulator(this.metricList);
    this.batches(x.shape[0], batchSize, 'eval', x, y, xName, (program) => figures.add(program), sampleWeight);
    return figures.logs();
  }

  /**
   * The model's outputs for inputs, in inference mode.
   *
   * @example
   * const probabilities = model.predict(xTest.reshape([-1, 28, 28]));   // [samples, 10]
   */
  predict(x: TensorLike, args: PredictArgs = {}): Tensor {
    const batchSize = positiveIntegerOption(args.batchSize, 'batchSize', 32);
    const xs = this.checkedFeatures(x, 'x');
    const outShape = this.outputShape;
    const per = outShape.reduce((a, b) => a * b, 1);
    const result = new Float32Array(xs.shape[0] * per);
    let row = 0;
    this.batches(xs.shape[0], batchSize, 'predict', xs, null, 'x', (program) => {
      result.set(program.graph.read(program.output) as Float32Array, row * per);
      row += program.batch;
    });
    return new Tensor(result, [xs.shape[0], ...outShape]);
  }

  private batches(
    samples: number,
    batchSize: number,
    mode: 'eval' | 'predict',
    x: Tensor,
    y: Tensor | null,
    xName: string,
    after: (p: StepProgram) => void,
    sampleWeight: Float32Array | null = null,
  ): void {
    const batch = Math.min(batchSize, samples);
    // One writer per program (the full batches and the tail): writers hold their label staging array.
    const writers = new Map<StepProgram, BatchWriter>();
    for (let start = 0; start < samples; start += batch) {
      const size = Math.min(batch, samples - start);
      const program = this.program(mode, size, sampleWeight !== null);
      let writer = writers.get(program);
      if (!writer) {
        writer = new BatchWriter(program, x, y, xName, sampleWeight);
        writers.set(program, writer);
      }
      writer.write(null, start);
      program.graph.run();
      after(program);
    }
  }

  /**
   * The compiled program for a mode, batch size, weighting, gradient-norm fetch and feeding (batches
   * written in, or gathered from data bound per fit: `resident`), built on first use.
   */
  program(mode: Mode, batch: number, weighted = false, gradientNorm = false, resident = false): StepProgram {
    const withNorm = gradientNorm && mode === 'train';
    const inStep = resident && mode !== 'predict';
    this.followBackend();
    const key =
      `${mode}:${batch}${weighted ? ':weighted' : ''}${withNorm ? ':gradNorm' : ''}` + `${inStep ? ':resident' : ''}`;
    let program = this.programs.get(key);
    if (!program) {
      const compiled = this.compiled;
      program = buildProgram(
        {
          layers: this.layers,
          inputShape: this.requireBuilt(mode),
          loss: compiled?.loss ?? null,
          metrics: compiled?.metrics ?? [],
          optimizer: compiled?.optimizer ?? null,
        },
        mode,
        batch,
        weighted && mode !== 'predict',
        withNorm,
        inStep,
      );
      this.programs.set(key, program);
    }
    return program;
  }

  /** Number of weights (trainable and not). */
  countParams(): number {
    this.requireBuilt('countParams');
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  /** Rows of the summary table. */
  summaryRows(): SummaryRow[] {
    return summaryRows(this.layers, this.requireBuilt('summary'));
  }

  /**
   * Prints Keras's summary table (and returns it).
   *
   * @example
   * model.summary();   // Total params: 266,610
   */
  summary(print: (line: string) => void = console.log): string {
    const text = summaryText(this.name, this.layers, this.requireBuilt('summary'));
    print(text);
    return text;
  }

  /** Copies of every weight, in layer order (kernel, then bias). */
  getWeights(): Tensor[] {
    this.requireBuilt('getWeights');
    return this.layers.flatMap((l) => l.weights.map((v) => v.read()));
  }

  /** Overwrites every weight, in the order of getWeights(). */
  setWeights(weights: readonly Tensor[]): void {
    this.requireBuilt('setWeights');
    const variables = this.layers.flatMap((l) => l.weights);
    if (!Array.isArray(weights) || weights.length !== variables.length) {
      throw new ValueError(
        `setWeights: model ${this.name} has ${variables.length} weight tensors, received ${describe(weights)}; pass ` +
          `them in the order of getWeights().`,
      );
    }
    variables.forEach((v, i) => {
      const w = weights[i];
      if (!(w instanceof Tensor) || w.shape.length !== v.shape.length || w.shape.some((d, j) => d !== v.shape[j])) {
        throw new ShapeError(
          `setWeights: ${v.name} has shape ${formatShape(v.shape)}, received ` +
            `${w instanceof Tensor ? formatShape(w.shape) : describe(w)} at index ${i}.`,
        );
      }
    });
    for (const [i, v] of variables.entries()) v.assign(weights[i]);
  }

  private checkedFeatures(x: TensorLike, argName: string): Tensor {
    const xs = featuresOf(x, argName);
    if (!this.inputShapeValue) this.build(xs.shape.slice(1));
    checkInputShape(xs, this.inputShapeValue!, argName, this.layers[0]?.name ?? this.name);
    return xs;
  }

  private requireCompiled(method: string): Compiled {
    if (!this.compiled) {
      throw new StateError(
        `${method}: model ${this.name} is not compiled; call model.compile({ optimizer, loss, metrics }) before ` +
          `${method}().`,
      );
    }
    if (this.layers.length === 0) throw new StateError(`${method}: model ${this.name} has no layers; add some first.`);
    return this.compiled;
  }

  private requireBuilt(what: string): readonly number[] {
    if (!this.inputShapeValue) {
      throw new StateError(
        `${what}: model ${this.name} is not built yet: give the first layer an inputShape (e.g. layers.flatten({ ` +
          `inputShape: [28, 28] })) or call fit/predict first.`,
      );
    }
    return this.inputShapeValue;
  }

  /**
   * After configureBackend(), or when the model's programs are to be compiled again (a layer built
   * before the switch may have joined): moves every weight and optimizer slot to the current backend
   * (a no-op for those already there) and drops the programs compiled for the old one.
   */
  private followBackend(): void {
    if (this.disposed) {
      throw new StateError(
        `model ${this.name} was disposed (its weights were released); build or load it again to use it.`,
      );
    }
    if (this.programsGeneration === backendGeneration()) return;
    const backend = getBackend();
    this.invalidate();
    for (const l of this.layers) for (const v of l.weights) v.moveTo(backend);
    this.compiled?.optimizer.moveTo(backend);
    this.programsGeneration = backendGeneration();
  }

  private invalidate(): void {
    for (const p of this.programs.values()) p.graph.dispose();
    this.programs.clear();
    this.programsGeneration = -1;
  }

  /** Releases every program and weight buffer; the model cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.invalidate();
    this.disposed = true;
    for (const l of this.layers) for (const v of l.weights) v.dispose();
    this.compiled?.optimizer.dispose();
  }
}

/**
 * A model made of layers applied in order.
 *
 * @example
 * const model = sequential([
 *   layers.flatten({ inputShape: [28, 28] }),
 *   layers.dense({ units: 300, activation: 'relu' }),
 *   layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 */
export function sequential(layers: readonly Layer[] = [], args: SequentialArgs = {}): Sequential {
  return new Sequential(layers, args);
}

export type { Callback };
