// The compiled programs of a model: one per mode (train, eval, predict) and batch size, each a graph
// of the whole step (forward, loss, regularizer penalties, metrics, and for training the gradients
// and the updates) compiled once and run for every batch of that size.

import type { BufferBinding, HostScalar } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import { CompiledGraph } from '../graph/compile.js';
import { gradients } from '../graph/gradients.js';
import { gatherRows } from '../graph/ops/gather.js';
import { gradientNormSq } from '../graph/ops/norms.js';
import { penalty } from '../graph/ops/regularization.js';
import { placeholder, type Node, type SymbolicTensor } from '../graph/tensor.js';
import { callContext, type CallContext, type Layer } from '../layers/layer.js';
import type { Loss } from '../losses/losses.js';
import type { Metric } from '../metrics/metric.js';
import type { GradientPair, Optimizer } from '../optimizers/optimizer.js';

export type Mode = 'train' | 'eval' | 'predict';

/**
 * How a program that gathers its batch inside the step (fit's training steps) is fed: the data set
 * bound once per fit (see model/resident-data.ts), and per step only the batch's row indices.
 */
export interface ResidentFeeds {
  /** The batch's row indices into the bound data, int32 [batch]: the one feed written per step. */
  readonly rows: SymbolicTensor;
  /** Features [samples, …inputShape], float32. */
  readonly x: BufferBinding;
  /** Targets [samples, …], as the loss takes them (int32 labels or float32 rows). */
  readonly y: BufferBinding;
  /** Per-sample weights [samples] (weighted programs only). */
  readonly sampleWeight: BufferBinding | null;
}

export interface StepProgram {
  readonly mode: Mode;
  readonly batch: number;
  readonly graph: CompiledGraph;
  /** The batch's features: a feed, or gathered from bound data in a resident program. */
  readonly input: SymbolicTensor;
  readonly target: SymbolicTensor | null;
  /** Set in resident programs only: the batch is gathered in the step from data bound per fit. */
  readonly resident: ResidentFeeds | null;
  /**
   * Σ‖g‖² over every trainable weight's gradient, regularizers included ([1]; training programs compiled with
   * gradientNorm only).
   */
  readonly gradNormSq: SymbolicTensor | null;
  /** Per-sample weights [batch] (programs compiled for weighted runs only). */
  readonly sampleWeight: SymbolicTensor | null;
  /** The batch's summed data loss ([1]). */
  readonly lossSum: SymbolicTensor | null;
  /** Terms added to the per-sample mean loss: regularizer penalties ([1] each). */
  readonly lossTerms: readonly SymbolicTensor[];
  readonly metrics: readonly { readonly metric: Metric; readonly sums: readonly SymbolicTensor[] }[];
  readonly output: SymbolicTensor;
  /** Set from the model's generator before every training step (dropout masks). */
  readonly stepSeed: HostScalar;
}

export interface ProgramSource {
  readonly layers: readonly Layer[];
  readonly inputShape: readonly number[];
  readonly loss: Loss | null;
  readonly metrics: readonly Metric[];
  readonly optimizer: Optimizer | null;
}

/** Adds every layer's computation to a graph. */
export function forward(layers: readonly Layer[], x: SymbolicTensor, ctx: CallContext): SymbolicTensor {
  return layers.reduce((h, layer) => layer.call(h, ctx), x);
}

/**
 * Compiles one step. `weighted` adds a sampleWeight feed; `gradientNorm` (training only) adds the
 * fetched `gradNormSq` (a pass over every gradient, so only when a callback asks for it); `resident`
 * (not for predict) gathers the batch from bound data instead of taking it as feeds.
 */
export function buildProgram(
  source: ProgramSource,
  mode: Mode,
  batch: number,
  weighted = false,
  gradientNorm = false,
  resident = false,
): StepProgram {
  const activityTerms: SymbolicTensor[] = [];
  const ctx = callContext(mode === 'train', (t) => activityTerms.push(t));
  const stepSeed = ctx.stepSeed;
  const fed: ResidentFeeds | null =
    resident && mode !== 'predict'
      ? {
          rows: placeholder([batch], 'int32', 'rows'),
          x: { buffer: null },
          y: { buffer: null },
          sampleWeight: weighted ? { buffer: null } : null,
        }
      : null;
  const input = fed
    ? gatherRows(fed.x, fed.rows, source.inputShape, 'float32')
    : placeholder([batch, ...source.inputShape], 'float32', 'x');
  const output = forward(source.layers, input, ctx);
  if (mode === 'predict') {
    const graph = new CompiledGraph(getBackend(), { feeds: [input], fetches: [output] });
    return {
      mode,
      batch,
      graph,
      input,
      target: null,
      resident: null,
      gradNormSq: null,
      sampleWeight: null,
      lossSum: null,
      lossTerms: [],
      metrics: [],
      output,
      stepSeed,
    };
  }
  const loss = source.loss!;
  const targetFeed = loss.targetPlaceholder(output.shape);
  const target = fed ? gatherRows(fed.y, fed.rows, targetFeed.shape.slice(1), targetFeed.dtype) : targetFeed;
  const sampleWeight = !weighted
    ? null
    : fed?.sampleWeight
      ? gatherRows(fed.sampleWeight, fed.rows, [], 'float32')
      : placeholder([batch], 'float32', 'sampleWeight');
  const built = loss.build(output, target, sampleWeight);
  const { lossSum, scores } = built;
  // Penalties of trainable weights are reported in the loss (as Keras 3 does, in training and
  // evaluation alike); their gradients are fused into the update kernels.
  const penalties = source.layers
    .flatMap((l) => l.trainableWeights)
    .filter((v) => v.regularizer)
    .map((v) => penalty(v.symbolic, v.regularizer!.l1, v.regularizer!.l2));
  const metrics = source.metrics.map((metric) => ({
    metric,
    sums: metric.build({ output: built.output, scores, target, sampleWeight: metric.weighted ? sampleWeight : null }),
  }));
  let effects: Node[] = [];
  let gradNormSq: SymbolicTensor | null = null;
  if (mode === 'train') {
    const variables = source.layers.flatMap((l) => l.trainableWeights);
    const grads = gradients(
      [lossSum, ...activityTerms],
      variables.map((v) => v.symbolic),
    );
    const pairs: GradientPair[] = [];
    variables.forEach((variable, i) => {
      const grad = grads[i];
      if (grad) pairs.push({ variable, grad });
    });
    effects = source.optimizer!.applyGradients(pairs);
    if (gradientNorm && pairs.length > 0) {
      gradNormSq = gradientNormSq(
        pairs.map(({ variable, grad }) => ({
          w: variable.symbolic,
          g: grad,
          l1: variable.regularizer?.l1 ?? 0,
          l2: variable.regularizer?.l2 ?? 0,
        })),
      );
    }
  }
  const lossTerms = [...activityTerms, ...penalties];
  const graph = new CompiledGraph(getBackend(), {
    feeds: fed ? [fed.rows] : sampleWeight ? [input, target, sampleWeight] : [input, target],
    fetches: [lossSum, ...lossTerms, ...metrics.flatMap((m) => m.sums), ...(gradNormSq ? [gradNormSq] : [])],
    effects,
  });
  return {
    mode,
    batch,
    graph,
    input,
    target,
    resident: fed,
    gradNormSq,
    sampleWeight,
    lossSum,
    lossTerms,
    metrics,
    output,
    stepSeed,
  };
}
