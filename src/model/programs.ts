// The compiled programs of a model: one per mode (train, eval, predict) and batch size, each a graph
// of the whole step (forward, loss, metrics, and for training the gradients and the updates) compiled
// once and run for every batch of that size.

import { CompiledGraph } from '../graph/compile.js';
import { gradients } from '../graph/gradients.js';
import { placeholder, type Node, type SymbolicTensor } from '../graph/tensor.js';
import type { Layer } from '../layers/layer.js';
import type { Loss } from '../losses/losses.js';
import type { Metric } from '../metrics/metrics.js';
import type { Optimizer, GradientPair } from '../optimizers/optimizer.js';
import { getBackend } from '../backend/index.js';

export type Mode = 'train' | 'eval' | 'predict';

export interface StepProgram {
  readonly mode: Mode;
  readonly batch: number;
  readonly graph: CompiledGraph;
  readonly input: SymbolicTensor;
  readonly target: SymbolicTensor | null;
  readonly lossSum: SymbolicTensor | null;
  readonly metrics: readonly { readonly key: string; readonly sum: SymbolicTensor }[];
  readonly output: SymbolicTensor;
}

export interface ProgramSource {
  readonly layers: readonly Layer[];
  readonly inputShape: readonly number[];
  readonly loss: Loss | null;
  readonly metrics: readonly Metric[];
  readonly optimizer: Optimizer | null;
}

/** Adds every layer's computation to a graph. */
export function forward(layers: readonly Layer[], x: SymbolicTensor, training: boolean): SymbolicTensor {
  return layers.reduce((h, layer) => layer.call(h, { training }), x);
}

export function buildProgram(source: ProgramSource, mode: Mode, batch: number): StepProgram {
  const input = placeholder([batch, ...source.inputShape], 'float32', 'x');
  const output = forward(source.layers, input, mode === 'train');
  if (mode === 'predict') {
    const graph = new CompiledGraph(getBackend(), { feeds: [input], fetches: [output] });
    return { mode, batch, graph, input, target: null, lossSum: null, metrics: [], output };
  }
  const loss = source.loss!;
  const target = loss.targetPlaceholder(output.shape);
  const { lossSum, scores } = loss.build(output, target);
  const metrics = source.metrics.map((m) => ({ key: m.key, sum: m.build(scores, target) }));
  let effects: Node[] = [];
  if (mode === 'train') {
    const variables = source.layers.flatMap((l) => l.trainableWeights);
    const grads = gradients(lossSum, variables.map((v) => v.symbolic));
    const pairs: GradientPair[] = [];
    variables.forEach((variable, i) => {
      const grad = grads[i];
      if (grad) pairs.push({ variable, grad });
    });
    effects = source.optimizer!.applyGradients(pairs);
  }
  const graph = new CompiledGraph(getBackend(), {
    feeds: [input, target],
    fetches: [lossSum, ...metrics.map((m) => m.sum)],
    effects,
  });
  return { mode, batch, graph, input, target, lossSum, metrics, output };
}
