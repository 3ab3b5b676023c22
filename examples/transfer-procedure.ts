// The reference transfer-learning procedure (Géron, ch. 11), as functions of the data and the sizes so
// that `examples/transfer-learning.ts` runs it on Fashion-MNIST and a test runs it on a few images:
//   1. model A learns the 8 classes other than sandal (5) and shirt (6), and is saved;
//   2. model B reuses A's layers except the output (loaded back from the save, so A stays intact)
//      under a new Dense(1, sigmoid), for the binary task "shirt or sandal?" on a few training
//      images: first with every reused layer frozen, so that the new output layer learns without
//      its random gradients wrecking them;
//   3. then only the top hidden layer is unfrozen and training continues with a 10× lower learning
//      rate, so that the layer closest to the task adapts while the lower, more generic ones stay;
//   4. a model of the same architecture trained from scratch on the same images is the baseline.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layers, loadModel, optimizers, sequential, Tensor, type Sequential } from '../src/index.js';
import type { Layer } from '../src/layers/index.js';

export const SANDAL = 5;
export const SHIRT = 6;
const PIXELS = 28 * 28;

/** Learning rates: step 2 (reused layers frozen), then step 3 (top hidden layer unfrozen), lower. */
export const LEARNING_RATES = { frozen: 0.01, unfrozen: 0.001 } as const;

/** Images [n, 28, 28] and class labels 0–9, as `datasets.fashionMnist()` gives them. */
export interface LabelledImages {
  readonly x: Tensor;
  readonly y: Tensor;
}

export interface TransferOptions {
  /** At most this many training images for task A (default 20,000). */
  trainA?: number;
  /** Training images for task B (default 200). */
  trainB?: number;
  /** Epochs of step 1, 2, 3 and of the baseline (defaults 8, 4, 16, 20). */
  epochs?: { a?: number; frozen?: number; unfrozen?: number; scratch?: number };
  batchSize?: number;
  /** Where the summary goes (default console.log). */
  log?: (line: string) => void;
}

export type StageName = 'modelA' | 'frozen' | 'unfrozen' | 'scratch';

/** What each stage hands to `onStage` after its training: the model, B's reused layers, the test accuracy. */
export interface Stage {
  readonly name: StageName;
  readonly model: Sequential;
  /** Model B's layers taken from A (empty for model A and the baseline). */
  readonly reused: readonly Layer[];
  readonly testAccuracy: number;
}

/** The images whose label passes `keep`, labels mapped by `label`; at most `limit` of them. */
export function subset(
  data: LabelledImages,
  keep: (c: number) => boolean,
  label: (c: number) => number,
  limit = Infinity,
  asFloat = false,
): LabelledImages {
  const rows: number[] = [];
  for (let i = 0; i < data.y.size && rows.length < limit; i++) if (keep(data.y.data[i])) rows.push(i);
  const xs = new Float32Array(rows.length * PIXELS);
  for (const [i, r] of rows.entries()) xs.set(data.x.data.subarray(r * PIXELS, (r + 1) * PIXELS), i * PIXELS);
  const labels = rows.map((r) => label(data.y.data[r]));
  return {
    x: new Tensor(xs, [rows.length, 28, 28]),
    y: asFloat
      ? new Tensor(Float32Array.from(labels), [rows.length, 1])
      : new Tensor(Int32Array.from(labels), [rows.length]),
  };
}

// Task A: 8 classes, labels 0–4 and 7–9 mapped to 0–7. Task B: shirt (1) or sandal (0).
const isA = (c: number) => c !== SANDAL && c !== SHIRT;
const toA = (c: number) => (c < SANDAL ? c : c - 2);
const isB = (c: number) => c === SANDAL || c === SHIRT;
const toB = (c: number) => (c === SHIRT ? 1 : 0);

/** The MLP both tasks use: 784 → 100 → 50 → 50 (SELU, LeCun normal) → `head`. */
function mlp(head: Layer): Sequential {
  return sequential([
    layers.flatten({ inputShape: [28, 28] }),
    layers.dense({ units: 100, activation: 'selu', kernelInitializer: 'lecunNormal' }),
    layers.dense({ units: 50, activation: 'selu', kernelInitializer: 'lecunNormal' }),
    layers.dense({ units: 50, activation: 'selu', kernelInitializer: 'lecunNormal' }),
    head,
  ]);
}

/** Step 2: B = A's layers but the output, frozen, under a new Dense(1, sigmoid); compiled. */
export function reuseFrozen(modelA: Sequential): { modelB: Sequential; reused: Layer[] } {
  const reused = modelA.layers.slice(0, -1);
  const modelB = sequential([...reused, layers.dense({ units: 1, activation: 'sigmoid' })]);
  for (const layer of reused) layer.trainable = false;
  modelB.compile({
    optimizer: optimizers.sgd({ learningRate: LEARNING_RATES.frozen }),
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  });
  return { modelB, reused };
}

/**
 * Step 3: unfreezes the top hidden layer (the last reused layer with weights) and recompiles (as in
 * Keras, a change of `trainable` takes effect at compile) with the lower learning rate.
 * Returns the layer unfrozen.
 */
export function unfreezeTopHidden(modelB: Sequential, reused: readonly Layer[]): Layer {
  const top = [...reused].reverse().find((l) => l.weights.length > 0);
  if (!top) throw new Error('unfreezeTopHidden: the reused layers hold no weights');
  top.trainable = true;
  modelB.compile({
    optimizer: optimizers.sgd({ learningRate: LEARNING_RATES.unfrozen }),
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  });
  return top;
}

/** Runs steps 1–4, calling `onStage` after each stage's training. */
export async function transferLearning(
  train: LabelledImages,
  test: LabelledImages,
  options: TransferOptions = {},
  onStage: (stage: Stage) => void | Promise<void> = () => undefined,
): Promise<void> {
  const log = options.log ?? console.log;
  const batchSize = options.batchSize ?? 32;
  const epochs = { a: 8, frozen: 4, unfrozen: 16, scratch: 20, ...options.epochs };
  const trainA = subset(train, isA, toA, options.trainA ?? 20000);
  const testA = subset(test, isA, toA);
  const trainB = subset(train, isB, toB, options.trainB ?? 200, true);
  const testB = subset(test, isB, toB, Infinity, true);
  log(
    `Task A: ${trainA.y.size} training images of 8 classes; task B: ${trainB.x.shape[0]} training images (sandal vs ` +
      `shirt), ${testB.x.shape[0]} test images\n`,
  );

  // 1. Model A, saved.
  const modelA = mlp(layers.dense({ units: 8, activation: 'softmax' }));
  modelA.compile({
    optimizer: optimizers.sgd({ learningRate: 0.01 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  await modelA.fit(trainA.x, trainA.y, { epochs: epochs.a, batchSize, verbose: 0 });
  const accuracyA = modelA.evaluate(testA.x, testA.y).accuracy;
  log(`Model A (8 classes): test accuracy ${accuracyA.toFixed(4)}`);
  await onStage({ name: 'modelA', model: modelA, reused: [], testAccuracy: accuracyA });
  const dir = mkdtempSync(join(tmpdir(), 'simdnet-model-a-'));
  try {
    await modelA.save(`file://${dir}`);
    // 2. B on a loaded copy of A, the reused layers frozen.
    const { modelB, reused } = reuseFrozen(await loadModel(`file://${dir}`));
    modelB.summary(log);
    await modelB.fit(trainB.x, trainB.y, { epochs: epochs.frozen, batchSize, verbose: 0 });
    const frozen = modelB.evaluate(testB.x, testB.y).accuracy;
    log(
      `Model B, reused layers frozen (${epochs.frozen} epochs, lr ${LEARNING_RATES.frozen}):  test accuracy ` +
        `${frozen.toFixed(4)}`,
    );
    await onStage({ name: 'frozen', model: modelB, reused, testAccuracy: frozen });

    // 3. The top hidden layer unfrozen, a lower learning rate.
    const top = unfreezeTopHidden(modelB, reused);
    await modelB.fit(trainB.x, trainB.y, { epochs: epochs.unfrozen, batchSize, verbose: 0 });
    const unfrozen = modelB.evaluate(testB.x, testB.y).accuracy;
    log(
      `Model B, ${top.name} unfrozen (+${epochs.unfrozen} epochs, lr ${LEARNING_RATES.unfrozen}): test accuracy ` +
        `${unfrozen.toFixed(4)}`,
    );
    await onStage({ name: 'unfrozen', model: modelB, reused, testAccuracy: unfrozen });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // 4. The baseline: the same architecture from scratch on the same images.
  const scratch = mlp(layers.dense({ units: 1, activation: 'sigmoid' }));
  scratch.compile({
    optimizer: optimizers.sgd({ learningRate: 0.01 }),
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  });
  await scratch.fit(trainB.x, trainB.y, { epochs: epochs.scratch, batchSize, verbose: 0 });
  const baseline = scratch.evaluate(testB.x, testB.y).accuracy;
  log(`Same architecture from scratch (${epochs.scratch} epochs):           test accuracy ${baseline.toFixed(4)}`);
  await onStage({ name: 'scratch', model: scratch, reused: [], testAccuracy: baseline });
}
