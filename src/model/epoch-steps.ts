// The steps of one epoch, run by a plain (not async) loop that returns only when a hook hands back a
// promise, when it is time to let the event loop run, or when the epoch is done. fit's async loop
// then turns once per ~100 ms instead of once per step, and stays small: V8 compiles a hot async
// function with all its await points on a background thread that takes a core from the worker
// team while it works (measured: 30–54 ms for the whole epoch loop, in the middle of a user's fifth
// epoch, costing that epoch a third of its speed), where this loop compiles in a few ms.

import type { Callback } from '../callbacks/callback.js';
import { SimdnetError } from '../errors.js';
import { EpochAccumulator } from './accumulator.js';
import type { FitTarget } from './fit.js';
import type { StepProgram } from './programs.js';

/** Thrown when the loss stops being finite (see `stopOnNaN`). */
export class NonFiniteLossError extends SimdnetError {}

/** Writes the batch `order[start … start+batch)` (or `start …` without shuffling) into a program's inputs. */
export type Feed = (program: StepProgram, order: Int32Array, shuffled: boolean, start: number) => void;

/** Calls a hook on every callback; returns a promise only when a hook returned one (see fit.ts). */
export type EachCallback = (fn: (c: Callback) => void | Promise<void>) => Promise<void> | undefined;

/** What `EpochSteps.run` stopped for: the epoch is done, a hook's promise to await, or a turn of the event loop. */
export type StepsPause = 'done' | 'yield' | Promise<void>;

export class EpochSteps {
  readonly figures: EpochAccumulator;
  /** Σ batch·‖g‖² and Σ batch over the steps that measured the gradient norm. */
  gradNormSqSum = 0;
  gradNormSamples = 0;
  private step = 0;
  /** onBatchBegin of `step` has run (and its promise was awaited), the step itself not yet. */
  private begun = false;
  private readonly fullSteps: number;
  private readonly steps: number;

  constructor(
    private readonly model: FitTarget,
    private readonly programs: readonly StepProgram[],
    samples: number,
    private readonly epoch: number,
    private readonly order: Int32Array,
    private readonly shuffled: boolean,
    private readonly stopOnNaN: boolean,
    private readonly feed: Feed,
    private readonly each: EachCallback,
  ) {
    this.figures = new EpochAccumulator(model.metricList);
    this.fullSteps = Math.floor(samples / programs[0].batch);
    this.steps = this.fullSteps + (programs.length > 1 ? 1 : 0);
  }

  /** Runs steps until the epoch ends, a hook returns a promise, or the clock passes `until` (ms). */
  run(until: number): StepsPause {
    const model = this.model;
    // A step whose onBatchBegin ran runs even if that hook set stopTraining, as in a plain loop.
    while (this.begun || (this.step < this.steps && !model.stopTraining)) {
      const step = this.step;
      const program = step === this.fullSteps ? this.programs[1] : this.programs[0];
      if (!this.begun) {
        this.begun = true;
        const begun = this.each((c) => c.onBatchBegin(step, { batch: step, size: program.batch }));
        if (begun) return begun;
      }
      this.begun = false;
      this.step = step + 1;
      this.feed(program, this.order, this.shuffled, step * this.programs[0].batch);
      const batchLoss = this.train(program);
      if (this.stopOnNaN && !Number.isFinite(batchLoss)) throw this.diverged(batchLoss, step);
      const logs = this.figures.logs();
      const ended = this.each((c) => c.onBatchEnd(step, logs));
      if (ended) return ended;
      if (performance.now() > until) return 'yield';
    }
    return 'done';
  }

  /** One training step on the batch already fed: returns its total loss. */
  private train(program: StepProgram): number {
    const optimizer = this.model.optimizer!;
    program.stepSeed.value = this.model.generator.nextUint32();
    optimizer.prepareStep(this.epoch);
    program.graph.run();
    optimizer.finishStep();
    if (program.gradNormSq) {
      this.gradNormSqSum += program.batch * program.graph.readScalar(program.gradNormSq);
      this.gradNormSamples += program.batch;
    }
    return this.figures.add(program);
  }

  private diverged(batchLoss: number, step: number): NonFiniteLossError {
    return new NonFiniteLossError(
      `fit: the loss became ${batchLoss} at epoch ${this.epoch + 1}, batch ${step + 1}: training diverged. Lower the ` +
        `learning rate, scale the inputs (e.g. to [0, 1]), or pass stopOnNaN: false to keep going.`,
    );
  }
}
