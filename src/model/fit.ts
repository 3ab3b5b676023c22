// The training loop: epochs of shuffled batches through the compiled training program, validation at
// the end of each epoch, callbacks around everything, and a history of the epoch figures.

import { Callback, History, type Logs, type TrainingTarget } from '../callbacks/callback.js';
import { LambdaCallback, type CallbackHooks } from '../callbacks/lambda-callback.js';
import { ProgressBar, type ProgressOutput } from '../callbacks/progress-bar.js';
import { TerminateOnNaN } from '../callbacks/terminate-on-nan.js';
import { ValueError, describe } from '../errors.js';
import type { Generator } from '../random.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { BatchWriter, positiveIntegerOption } from './data.js';
import type { Metric } from '../metrics/metric.js';
import { EpochSteps, type EachCallback, type Feed } from './epoch-steps.js';
import type { StepProgram } from './programs.js';
import { ResidentData } from './resident-data.js';
import type { ClassWeight } from './class-weight.js';

/** Options of `fit`, as tfjs-layers and Keras name them. */
export interface FitArgs {
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Samples per step (default 32). The last step of an epoch takes the remainder. */
  batchSize?: number;
  /** Data evaluated at the end of every epoch: `[x, y]`. */
  validationData?: readonly [TensorLike, TensorLike];
  /**
   * Fraction in (0, 1) of the samples to hold out for validation: the last ones, before shuffling
   * (as Keras). Ignored when `validationData` is given, as in Keras and tfjs.
   */
  validationSplit?: number;
  /** Shuffle the samples before every epoch (default true). */
  shuffle?: boolean;
  /** 0 silent, 1 progress bar (default), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  /**
   * Hooks called during training: Callback instances, or plain objects of hook functions as in tfjs
   * (`{ onEpochEnd: (epoch, logs) => … }`); one of either may be given without an array.
   */
  callbacks?: readonly (Callback | CallbackHooks)[] | Callback | CallbackHooks;
  /** Epoch to start counting from (to continue an earlier run). */
  initialEpoch?: number;
  /**
   * Stop with an error when the loss becomes NaN or infinite. Default true, except when `callbacks`
   * holds a `terminateOnNaN()`, which then ends training quietly instead.
   */
  stopOnNaN?: boolean;
  /** Where the progress display goes (default: the terminal, or the console in a browser). */
  progressOutput?: ProgressOutput;
  /**
   * One non-negative weight per sample: each sample's loss is multiplied by it before the batch mean
   * (Keras's sample_weight); compile's weightedMetrics are weighted too.
   */
  sampleWeight?: TensorLike;
  /**
   * A weight per class index, `{ 0: 1, 1: 5 }` (Keras's class_weight; classes left out weigh 1): each
   * sample's loss is multiplied by the weight of its class (its label, the argmax of a one-hot row, or
   * a binary 0/1 label), and by its sampleWeight when both are given. Not for regression losses.
   */
  classWeight?: ClassWeight;
}

/** What the loop needs from the model. */
export interface FitTarget extends TrainingTarget {
  stopTraining: boolean;
  readonly metricKeys: readonly string[];
  readonly metricList: readonly Metric[];
  program(
    mode: 'train' | 'eval',
    batch: number,
    weighted?: boolean,
    gradientNorm?: boolean,
    resident?: boolean,
  ): StepProgram;
  evaluateTensors(x: Tensor, y: Tensor, batchSize: number, xName: string): Logs;
  readonly generator: Generator;
}

export interface CheckedFitArgs {
  readonly epochs: number;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly verbose: 0 | 1 | 2;
  readonly callbacks: readonly Callback[];
  readonly initialEpoch: number;
  readonly stopOnNaN: boolean;
  readonly progressOutput: ProgressOutput | undefined;
}

/** fit's callbacks as Callback instances: plain hook objects wrapped, anything else refused. */
function checkCallbacks(given: FitArgs['callbacks']): Callback[] {
  if (given === undefined) return [];
  const list = Array.isArray(given) ? given : [given];
  return list.map((c, i) => {
    if (c instanceof Callback) return c;
    const name = Array.isArray(given) ? `callbacks[${i}]` : 'callbacks';
    if (typeof c === 'object' && c !== null && !Array.isArray(c)) return new LambdaCallback(c as CallbackHooks, name);
    throw new ValueError(
      `${name}: expected a Callback (callbacks.earlyStopping(…), …) or an object of hook functions such as { ` +
        `onEpochEnd: (epoch, logs) => … }, received ${describe(c)}.`,
    );
  });
}

export function checkFitArgs(args: FitArgs): CheckedFitArgs {
  if (typeof args !== 'object' || args === null)
    throw new ValueError(
      `fit: options must be an object such as { epochs: 10, batchSize: 32 }, received ${describe(args)}.`,
    );
  const epochs = positiveIntegerOption(args.epochs, 'epochs', 1);
  const batchSize = positiveIntegerOption(args.batchSize, 'batchSize', 32);
  const initialEpoch = args.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch >= epochs) {
    throw new ValueError(
      `initialEpoch: expected an integer in [0, epochs − 1] = [0, ${epochs - 1}], received ` +
        `${describe(args.initialEpoch)}.`,
    );
  }
  const verbose = args.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2)
    throw new ValueError(`verbose: expected 0, 1 or 2, received ${describe(args.verbose)}.`);
  if (args.shuffle !== undefined && typeof args.shuffle !== 'boolean')
    throw new ValueError(`shuffle: expected true or false, received ${describe(args.shuffle)}.`);
  const callbacks = checkCallbacks(args.callbacks);
  return {
    epochs,
    batchSize,
    shuffle: args.shuffle ?? true,
    verbose,
    callbacks,
    initialEpoch,
    stopOnNaN: args.stopOnNaN ?? !callbacks.some((c) => c instanceof TerminateOnNaN),
    progressOutput: args.progressOutput,
  };
}

export { NonFiniteLossError } from './epoch-steps.js';

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) =>
    typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
  );
}

export async function fitLoop(
  model: FitTarget,
  x: Tensor,
  y: Tensor,
  validation: readonly [Tensor, Tensor] | null,
  args: CheckedFitArgs,
  sampleWeight: Float32Array | null = null,
): Promise<History> {
  const samples = x.shape[0];
  const batch = Math.min(args.batchSize, samples);
  const rest = samples % batch;
  // Compile every program of the run up front so that the steps allocate nothing. The training set
  // goes into the backend's memory once (checked for non-finite features there) and each step
  // gathers its batch in the program; a set too large for that is fed batch by batch.
  const weighted = sampleWeight !== null;
  const gradientNorm = args.callbacks.some((c) => c.needsGradientNorm);
  const sizes = rest > 0 ? [batch, rest] : [batch];
  const compile = (inStep: boolean) =>
    sizes.map((size) => model.program('train', size, weighted, gradientNorm, inStep));
  // On the backend the programs run on, which a configureBackend() since the model was built may no
  // longer have made the default.
  let programs = compile(true);
  const resident = ResidentData.create(programs[0].graph.backend, x, y, sampleWeight, 'x');
  if (!resident) programs = compile(false);
  try {
    return await epochs(
      model,
      samples,
      programs,
      validation,
      args,
      resident ? feeder(resident) : writers(programs, x, y, sampleWeight),
    );
  } finally {
    resident?.dispose(programs);
  }
}

/**
 * order = 0, 1, … n−1. A function of its own: run in epochs(), this loop made that large async
 * function hot enough for V8 to compile (see epoch-steps.ts).
 */
function identity(order: Int32Array): Int32Array {
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order;
}

function feeder(resident: ResidentData): Feed {
  // The order is the identity without shuffling: the gather takes rows start … start+batch.
  return (program, order, _shuffled, start) => resident.feed(program, order, start);
}

function writers(programs: readonly StepProgram[], x: Tensor, y: Tensor, sampleWeight: Float32Array | null): Feed {
  const writer = new Map(programs.map((p) => [p, new BatchWriter(p, x, y, 'x', sampleWeight)]));
  return (program, order, shuffled, start) => writer.get(program)!.write(shuffled ? order : null, start);
}

async function epochs(
  model: FitTarget,
  samples: number,
  programs: readonly StepProgram[],
  validation: readonly [Tensor, Tensor] | null,
  args: CheckedFitArgs,
  feed: Feed,
): Promise<History> {
  const [mainProgram, tailProgram = null] = programs;
  const batch = mainProgram.batch;
  const steps = Math.floor(samples / batch) + (tailProgram ? 1 : 0);
  if (validation) {
    // Compile the validation programs too, and check the validation features now (one copy pass,
    // in WASM) rather than after the first epoch.
    const [vx, vy] = validation;
    const vBatch = Math.min(args.batchSize, vx.shape[0]);
    for (let start = 0; start < vx.shape[0]; start += vBatch) {
      const size = Math.min(vBatch, vx.shape[0] - start);
      new BatchWriter(model.program('eval', size), vx, vy, 'validationData[0]').write(null, start);
    }
  }

  const history = new History();
  const callbacks: Callback[] = [history, ...args.callbacks];
  if (args.verbose > 0) callbacks.push(new ProgressBar(args.verbose as 1 | 2, args.progressOutput));
  const params = {
    epochs: args.epochs,
    initialEpoch: args.initialEpoch,
    steps,
    samples,
    batchSize: batch,
    verbose: args.verbose,
    metrics: ['loss', ...model.metricKeys],
  };
  for (const c of callbacks) {
    c.setModel(model);
    c.setParams(params);
  }
  // Hooks are awaited only when one returns a promise: most are synchronous, and an await per hook
  // per batch costs more than a small step's kernels.
  const each: EachCallback = (fn) => {
    for (let i = 0; i < callbacks.length; i++) {
      const pending = fn(callbacks[i]);
      if (pending) return pending.then(() => eachFrom(fn, i + 1));
    }
    return undefined;
  };
  const eachFrom = async (fn: (c: Callback) => void | Promise<void>, start: number) => {
    for (let i = start; i < callbacks.length; i++) await fn(callbacks[i]);
  };

  const optimizer = model.optimizer!;
  model.stopTraining = false;
  const order = identity(new Int32Array(samples));
  let lastYield = performance.now();
  await each((c) => c.onTrainBegin({}));
  for (let epoch = args.initialEpoch; epoch < args.epochs && !model.stopTraining; epoch++) {
    await each((c) => c.onEpochBegin(epoch, {}));
    if (args.shuffle) {
      // A fresh permutation of 0..n−1: an epoch's order then depends only on the generator's state
      // (which a checkpoint saves), not on the epochs before, so a resumed run shuffles alike.
      model.generator.shuffle(identity(order));
    }
    const run = new EpochSteps(model, programs, samples, epoch, order, args.shuffle, args.stopOnNaN, feed, each);
    for (let pause = run.run(lastYield + 100); pause !== 'done'; pause = run.run(lastYield + 100)) {
      if (pause !== 'yield') await pause;
      if (performance.now() - lastYield > 100) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
    const { figures, gradNormSqSum, gradNormSamples } = run;
    const logs = figures.logs();
    if (validation) {
      const v = model.evaluateTensors(validation[0], validation[1], args.batchSize, 'validationData[0]');
      for (const [k, value] of Object.entries(v)) logs[`val${k[0].toUpperCase()}${k.slice(1)}`] = value;
    }
    // The root mean square of the steps' gradient norms (steps weighted by their sizes): exact for
    // one full batch per epoch, and never below the norm of the epoch's mean gradient otherwise.
    if (gradNormSamples > 0) logs.gradNorm = Math.sqrt(gradNormSqSum / gradNormSamples);
    // As Keras 3's ReduceLROnPlateau and LearningRateScheduler log it, but always: the rate the next step uses.
    logs.learningRate = optimizer.learningRate;
    await each((c) => c.onEpochEnd(epoch, logs));
    await yieldToEventLoop();
    lastYield = performance.now();
  }
  await each((c) => c.onTrainEnd({}));
  return history;
}
