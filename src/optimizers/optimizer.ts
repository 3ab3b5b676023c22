// The optimizer base: owns the learning rate (read by the update kernels when a step runs, so a
// schedule can change it without recompiling), gradient clipping and decoupled weight decay (Keras 3's
// base_optimizer.py: clipnorm / global_clipnorm / clipvalue, weight_decay), the slots (m, v,
// accumulators: one Variable each per trained variable, shared by every program of the model) and the
// optimizer state (getWeights/setWeights), and turns (variable, gradient) pairs into fused update nodes.

import type { Backend, HostScalar } from '../backend/backend.js';
import { ShapeError, StateError, ValueError, describe } from '../errors.js';
import { gradientNormSq } from '../graph/ops/norms.js';
import { parameterUpdate, type TransformAttrs, type UpdateRule } from '../graph/ops/updates.js';
import type { Node, SymbolicTensor } from '../graph/tensor.js';
import { Variable } from '../graph/variable.js';
import { formatShape } from '../graph/op.js';
import { Tensor } from '../tensor.js';
import { FunctionSchedule, LearningRateSchedule } from './schedules/schedule.js';
import { checkNonNegative, checkPositive } from './validate.js';

/** A constant rate, a schedule (`schedules.exponentialDecay(…)`), or a function of the step. */
export type LearningRate = number | LearningRateSchedule | ((step: number) => number);

export interface GradientPair {
  readonly variable: Variable;
  readonly grad: SymbolicTensor;
}

/** Options every optimizer takes (Keras 3's base optimizer arguments, camelCase). */
export interface OptimizerArgs {
  /** η: a number, a schedule (`schedules.exponentialDecay(…)`) or `(step) => rate`. */
  learningRate?: LearningRate;
  /** Keras 2's legacy time decay, η / (1 + decay·step) (default 0). Prefer a schedule. */
  decay?: number;
  /** Decoupled weight decay: w ← w − η·weightDecay·w before each update (Keras's weight_decay). */
  weightDecay?: number;
  /** Clip each gradient tensor to this L2 norm: g·c / max(‖g‖, c) (Keras's clipnorm). */
  clipNorm?: number;
  /** Clip all gradients together to this global L2 norm (Keras's global_clipnorm). */
  globalClipNorm?: number;
  /** Clip each gradient value to [−clipValue, clipValue] (Keras's clipvalue). */
  clipValue?: number;
}

export type OptimizerConfig = Record<string, number | boolean | string>;

/** A slot an optimizer keeps per variable: its name (`m`, `v`…) and initial value. */
export interface SlotSpec {
  readonly name: string;
  readonly initial: number;
}

export abstract class Optimizer {
  abstract readonly className: string;
  /** Read by the update kernels at run time; set by prepareStep() before every step. */
  protected readonly rate: HostScalar;
  /** Steps taken (the step a schedule sees is this count before the step). */
  iterations = 0;
  /** Keras 2's legacy time decay: η_t = η(t) / (1 + decay·t). */
  readonly decay: number;
  readonly weightDecay: number;
  readonly clipNorm: number | null;
  readonly globalClipNorm: number | null;
  readonly clipValue: number | null;
  private schedule: LearningRateSchedule | null = null;
  private constantRate = 0;
  /** Slots per trained variable, in the order the variables were first seen. */
  private readonly slots = new Map<Variable, Variable[]>();
  /** Slot values given to setWeights before the slots existed, applied when they are created. */
  private pending: Tensor[] | null = null;

  /**
   * @param owner the factory's name for error messages (`adam`)
   * @param defaultWeightDecay Keras's default for this optimizer (AdamW: 0.004)
   */
  constructor(owner: string, args: OptimizerArgs, defaultLearningRate: number, defaultWeightDecay = 0) {
    const decay = args.decay ?? 0;
    if (typeof decay !== 'number' || !Number.isFinite(decay) || decay < 0) {
      throw new ValueError(`decay: expected a finite number >= 0 (η / (1 + decay·step)), received ${describe(decay)}.`);
    }
    this.decay = decay;
    this.weightDecay = checkNonNegative(owner, 'weightDecay', args.weightDecay ?? defaultWeightDecay);
    const clip = (name: keyof OptimizerArgs) =>
      args[name] === undefined || args[name] === null
        ? null
        : checkPositive(owner, name, args[name], ' Leave it out to turn clipping off.');
    this.clipNorm = clip('clipNorm');
    this.globalClipNorm = clip('globalClipNorm');
    this.clipValue = clip('clipValue');
    const set = (['clipNorm', 'globalClipNorm', 'clipValue'] as const).filter((k) => this[k] !== null);
    if (set.length > 1) {
      // As Keras 3 (base_optimizer.py: "Only one of `clipnorm`, `clipvalue` and `global_clipnorm`
      // can be set"): each update clips one way.
      throw new ValueError(
        `${owner}: only one of clipNorm, globalClipNorm and clipValue can be set, received ` +
          `${set.map((k) => `${k}=${this[k]}`).join(', ')}. Keep the one you mean.`,
      );
    }
    const learningRate = args.learningRate ?? defaultLearningRate;
    if (learningRate instanceof LearningRateSchedule) this.schedule = learningRate;
    else if (typeof learningRate === 'function') this.schedule = new FunctionSchedule(learningRate);
    else this.constantRate = checkLearningRate(learningRate);
    // Until fit's first prepareStep(), hold the rate of step 0 when the schedule gives a valid one.
    const first = this.schedule ? this.schedule.at(0) : this.constantRate;
    this.rate = { value: typeof first === 'number' && Number.isFinite(first) && first >= 0 ? first : 0 };
  }

  /**
   * The rate the next step will use: the schedule (or constant) at `iterations`, divided by
   * 1 + decay·iterations. Setting it replaces a schedule with a constant (as Keras 2 did) that the
   * legacy `decay` keeps decaying from this value.
   */
  get learningRate(): number {
    return this.rateAt(this.iterations);
  }

  set learningRate(value: number) {
    const rate = checkLearningRate(value);
    this.schedule = null;
    this.constantRate = rate * (1 + this.decay * this.iterations);
    this.rate.value = rate;
  }

  /** The schedule driving the rate, or null for a constant rate. */
  get learningRateSchedule(): LearningRateSchedule | null {
    return this.schedule;
  }

  /**
   * Sets the rate (and the rule's step-dependent factors) for the step about to run (called by fit
   * before every step). Throws when a schedule gives a rate that is not a finite number >= 0, naming
   * the step and (when given) the epoch.
   */
  prepareStep(epoch?: number): void {
    const step = this.iterations;
    const value = this.rateAt(step);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      const when = epoch === undefined ? `step ${step}` : `step ${step} (epoch ${epoch + 1})`;
      throw new ValueError(
        `learningRate: the schedule (${this.schedule?.className ?? 'constant'}) gave ${describe(value)} at ${when}; ` +
          `a learning rate must be a finite number >= 0. Fix the schedule so that it stays finite and non-negative.`,
      );
    }
    this.rate.value = value;
    this.prepareFactors(step + 1);
  }

  /** Counts a finished step (called by fit after every step). */
  finishStep(): void {
    this.iterations++;
  }

  /** η before the legacy decay, for getConfig (a schedule's current value: schedules are saved with save/load). */
  protected get baseLearningRate(): number {
    return this.schedule ? this.schedule.at(this.iterations) : this.constantRate;
  }

  private rateAt(step: number): number {
    const base = this.schedule ? this.schedule.at(step) : this.constantRate;
    return this.decay > 0 ? base / (1 + this.decay * step) : base;
  }

  // ---- the rule ---------------------------------------------------------------------------------

  /** The slots this optimizer keeps per variable, in getWeights order. */
  protected abstract slotSpecs(): readonly SlotSpec[];

  /** The update rule with its constants and host scalars. */
  protected abstract rule(): UpdateRule;

  /** Sets the host scalars of step t (1-based: the step about to run), e.g. Adam's 1 − β^t. */
  protected prepareFactors(_t: number): void {}

  /** The rule's own hyperparameters for getConfig. */
  protected abstract ruleConfig(): OptimizerConfig;

  /** The update nodes for one step: norm reductions first (as regular nodes), then one fused update per variable. */
  applyGradients(pairs: readonly GradientPair[]): Node[] {
    for (const { variable } of pairs) this.slotsOf(variable);
    this.applyPending();
    const rule = this.rule();
    const factors = (v: Variable) => ({ l1: v.regularizer?.l1 ?? 0, l2: v.regularizer?.l2 ?? 0 });
    const globalNorm =
      this.globalClipNorm !== null && pairs.length > 0
        ? gradientNormSq(pairs.map((p) => ({ w: p.variable.symbolic, g: p.grad, ...factors(p.variable) })))
        : null;
    return pairs.map(({ variable, grad }) => {
      const { l1, l2 } = factors(variable);
      const normSq =
        globalNorm ?? (this.clipNorm !== null ? gradientNormSq([{ w: variable.symbolic, g: grad, l1, l2 }]) : null);
      const transform: TransformAttrs = {
        l1,
        l2,
        clipNorm: this.clipNorm ?? this.globalClipNorm ?? 0,
        clipValue: this.clipValue ?? Infinity,
        weightDecay: this.weightDecay,
      };
      const slots = this.slotsOf(variable).map((s) => s.symbolic);
      return parameterUpdate(variable.symbolic, grad, slots, rule, this.rate, transform, normSq);
    });
  }

  private slotsOf(variable: Variable): Variable[] {
    let slots = this.slots.get(variable);
    if (!slots) {
      slots = this.slotSpecs().map(
        (s) =>
          new Variable(
            `${variable.name}/${s.name}`,
            variable.shape,
            new Float32Array(variable.size).fill(s.initial),
            false,
          ),
      );
      this.slots.set(variable, slots);
    }
    return slots;
  }

  private allSlots(): Variable[] {
    return [...this.slots.values()].flat();
  }

  // ---- state ------------------------------------------------------------------------------------

  /**
   * The slots kept per trained variable, in getWeights order (Adam: `['m', 'v']`; plain SGD: none).
   * A loader checks a saved state against the model with it before any slot exists.
   */
  get slotKinds(): string[] {
    return this.slotSpecs().map((s) => s.name);
  }

  /**
   * Names matching getWeights(): `iterations`, then `<variable>/<slot>` (`dense/kernel/m`). A state
   * given to setWeights before the slots exist is named after `variables`, the variables it will
   * train (in training order), as the slots will be.
   */
  slotNames(variables: readonly { readonly name: string }[] = []): string[] {
    if (this.slots.size > 0 || !this.pending) return ['iterations', ...this.allSlots().map((s) => s.name)];
    return ['iterations', ...this.slotNamesFor(variables)];
  }

  /** The names the slots of `variables` get: for each variable, `<variable>/<slot>` per slot kind. */
  slotNamesFor(variables: readonly { readonly name: string }[]): string[] {
    const kinds = this.slotKinds;
    return variables.flatMap((v) => kinds.map((kind) => `${v.name}/${kind}`));
  }

  /**
   * The optimizer's state: `[iterations ([1]), ...slots]`, slots in the order of the trained
   * variables (for each, this optimizer's slots in a fixed order, e.g. Adam: m then v). Copies.
   * Before the first training program exists, only `[iterations]`, or the state setWeights was
   * given (it is kept until the slots exist).
   *
   * @example
   * const state = model.optimizer!.getWeights();
   * other.optimizer!.setWeights(state);
   */
  getWeights(): Tensor[] {
    const slots =
      this.slots.size > 0
        ? this.allSlots().map((s) => s.read())
        : (this.pending ?? []).map((t) => new Tensor(Float32Array.from(t.data), t.shape));
    return [new Tensor(Float32Array.of(this.iterations), [1]), ...slots];
  }

  /**
   * Restores getWeights()'s state. Checks the count and every shape first and changes nothing when
   * one differs. Before the slots exist (no training program compiled yet), the slot values are kept
   * and applied when the slots are created.
   */
  setWeights(weights: readonly Tensor[]): void {
    if (!Array.isArray(weights) || weights.length === 0 || !weights.every((w) => w instanceof Tensor)) {
      throw new ValueError(
        `${this.className}.setWeights: expected an array of Tensors [iterations, ...slots] as getWeights() returns, ` +
          `received ${describe(weights)}.`,
      );
    }
    const [iterations, ...values] = weights;
    const step = iterations.data[0];
    if (iterations.size !== 1 || !Number.isInteger(step) || step < 0) {
      throw new ValueError(
        `${this.className}.setWeights: the first weight must be the step count (a [1] tensor holding an integer >= ` +
          `0), received a ${formatShape(iterations.shape)} tensor starting with ${describe(step)}.`,
      );
    }
    const slots = this.allSlots();
    if (this.slots.size > 0) this.checkSlots(values, slots);
    else this.pending = values.length > 0 ? values.map((v) => new Tensor(Float32Array.from(v.data), v.shape)) : null;
    this.iterations = step;
    for (const [i, slot] of slots.entries()) slot.assign(values[i]);
  }

  private checkSlots(values: readonly Tensor[], slots: readonly Variable[]): void {
    if (values.length !== slots.length) {
      throw new ValueError(
        `${this.className}.setWeights: expected ${slots.length + 1} weights (iterations and ` +
          `${slots.map((s) => s.name).join(', ')}), received ${values.length + 1}. The state must come from the same ` +
          `optimizer on the same model.`,
      );
    }
    slots.forEach((slot, i) => {
      const v = values[i];
      if (
        v.dtype !== 'float32' ||
        v.size !== slot.size ||
        v.shape.length !== slot.shape.length ||
        v.shape.some((d, j) => d !== slot.shape[j])
      ) {
        throw new ShapeError(
          `${this.className}.setWeights: slot ${slot.name} has shape ${formatShape(slot.shape)}, received ${v.dtype} ` +
            `${formatShape(v.shape)}. The state must come from the same optimizer on the same model.`,
        );
      }
    });
  }

  /** Applies a state given before the slots existed (the slots have just been created). */
  private applyPending(): void {
    if (!this.pending) return;
    const values = this.pending;
    const slots = this.allSlots();
    try {
      this.checkSlots(values, slots);
    } catch (error) {
      this.pending = null;
      throw new StateError(
        `${(error as Error).message} (the state was given to setWeights before training and is applied when fit ` +
          `first compiles).`,
      );
    }
    this.pending = null;
    for (const [i, slot] of slots.entries()) slot.assign(values[i]);
  }

  /** Moves every slot to `backend` (see Variable.moveTo): training goes on there with the same state. */
  moveTo(backend: Backend): void {
    for (const slot of this.allSlots()) slot.moveTo(backend);
  }

  /** Releases the slots' buffers (the model's dispose() calls this); the next compile starts them afresh. */
  dispose(): void {
    for (const slot of this.allSlots()) slot.dispose();
    this.slots.clear();
  }

  /** Hyperparameters that rebuild this optimizer with optimizerFromConfig (state excluded). */
  getConfig(): OptimizerConfig {
    const config: OptimizerConfig =
      this.decay > 0 ? { learningRate: this.baseLearningRate, decay: this.decay } : { learningRate: this.learningRate };
    Object.assign(config, this.ruleConfig());
    if (this.weightDecay > 0) config.weightDecay = this.weightDecay;
    if (this.clipNorm !== null) config.clipNorm = this.clipNorm;
    if (this.globalClipNorm !== null) config.globalClipNorm = this.globalClipNorm;
    if (this.clipValue !== null) config.clipValue = this.clipValue;
    return config;
  }
}

export function checkLearningRate(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValueError(`learningRate: expected a finite number >= 0, received ${describe(value)}.`);
  }
  return value;
}
