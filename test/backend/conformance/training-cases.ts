// Whole training steps for the conformance suite: every layer, loss and optimizer, each in a small
// model trained a few steps on a fixed data set. Each backend must end with the weights the float64
// reference backend ends with (backends.ts gives the tolerance).

import {
  layers,
  losses,
  metrics as metricsApi,
  optimizers,
  sequential,
  tensor,
  type Sequential,
  type Tensor,
} from '../../../src/index.js';
import type { CompileArgs } from '../../../src/model/sequential.js';

export interface TrainingCase {
  readonly name: string;
  readonly model: () => Sequential;
  readonly compile: () => CompileArgs;
  /** Which targets the loss takes. */
  readonly targets: 'classes' | 'oneHot' | 'binary' | 'regression';
  /** Draws dropout masks: only backends with the WASM random stream can match the reference. */
  readonly random?: boolean;
}

export const SAMPLES = 24;
export const FEATURES = 6;
export const CLASSES = 4;

/** Features in [−1, 1) and targets of every kind, from integer arithmetic only. */
export function caseData(targets: TrainingCase['targets']): { x: Tensor; y: Tensor } {
  const x = new Float32Array(SAMPLES * FEATURES);
  let state = 12345;
  for (let i = 0; i < x.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    x[i] = (state >>> 8) / 8388608 - 1;
  }
  const label = (i: number) => (i * 5 + (i >> 2)) % CLASSES;
  switch (targets) {
    case 'classes':
      return {
        x: tensor(x, [SAMPLES, FEATURES]),
        y: tensor(
          Int32Array.from({ length: SAMPLES }, (_, i) => label(i)),
          [SAMPLES],
          'int32',
        ),
      };
    case 'oneHot':
      return {
        x: tensor(x, [SAMPLES, FEATURES]),
        y: tensor(
          Float32Array.from({ length: SAMPLES * CLASSES }, (_, k) =>
            label(Math.floor(k / CLASSES)) === k % CLASSES ? 1 : 0,
          ),
          [SAMPLES, CLASSES],
        ),
      };
    case 'binary':
      return {
        x: tensor(x, [SAMPLES, FEATURES]),
        y: tensor(
          Float32Array.from({ length: SAMPLES * 2 }, (_, k) => ((k * 3 + (k >> 1)) % 5 < 2 ? 1 : 0)),
          [SAMPLES, 2],
        ),
      };
    case 'regression':
      return {
        x: tensor(x, [SAMPLES, FEATURES]),
        y: tensor(
          Float32Array.from({ length: SAMPLES * 2 }, (_, k) => Math.sin(k)),
          [SAMPLES, 2],
        ),
      };
  }
}

const SEED = 5;
/** A model of fresh layers each call (a layer belongs to one model): dense relu, `hidden`, `output`. */
const classifier =
  (hidden: () => layers.Layer[], output = () => layers.dense({ units: CLASSES, activation: 'softmax' })) =>
  () =>
    sequential([layers.dense({ units: 8, activation: 'relu', inputShape: [FEATURES] }), ...hidden(), output()], {
      seed: SEED,
    });
const sgd = () => optimizers.sgd({ learningRate: 0.1 });
const sparse =
  (optimizer: () => optimizers.Optimizer = sgd) =>
  (): CompileArgs => ({ optimizer: optimizer(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

const ACTIVATIONS = [
  'linear',
  'relu',
  'leakyRelu',
  'elu',
  'selu',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softplus',
  'softsign',
  'swish',
  'gelu',
] as const;

export const TRAINING_CASES: readonly TrainingCase[] = [
  // Layers (and every activation, fused into the dense product or on its own).
  ...ACTIVATIONS.map(
    (activation): TrainingCase => ({
      name: `dense ${activation}`,
      model: () =>
        sequential(
          [
            layers.dense({ units: 8, activation, inputShape: [FEATURES] }),
            layers.dense({ units: CLASSES, activation: 'softmax' }),
          ],
          { seed: SEED },
        ),
      compile: sparse(),
      targets: 'classes',
    }),
  ),
  {
    name: 'dense without bias, activation layer',
    model: classifier(() => [layers.dense({ units: 5, useBias: false }), layers.activation({ activation: 'tanh' })]),
    compile: sparse(),
    targets: 'classes',
  },
  {
    name: 'batchNormalization',
    model: classifier(() => [layers.batchNormalization({})]),
    compile: sparse(),
    targets: 'classes',
  },
  {
    name: 'leakyReLU, prelu, elu layers',
    model: classifier(() => [
      layers.leakyReLU({ alpha: 0.2 }),
      layers.dense({ units: 6 }),
      layers.prelu({}),
      layers.elu({}),
    ]),
    compile: sparse(),
    targets: 'classes',
  },
  {
    name: 'softmax layer',
    model: classifier(
      () => [],
      () => layers.dense({ units: CLASSES }),
    ),
    compile: sparse(),
    targets: 'classes',
  },
  {
    name: 'reshape and flatten',
    model: classifier(() => [layers.reshape({ targetShape: [2, 4] }), layers.flatten({})]),
    compile: sparse(),
    targets: 'classes',
  },
  {
    name: 'dropout',
    model: classifier(() => [layers.dropout({ rate: 0.3 })]),
    compile: sparse(),
    targets: 'classes',
    random: true,
  },
  {
    name: 'alphaDropout',
    model: classifier(() => [layers.alphaDropout({ rate: 0.2 })]),
    compile: sparse(),
    targets: 'classes',
    random: true,
  },
  {
    name: 'kernel, bias and activity regularizers',
    model: classifier(() => [
      layers.dense({
        units: 5,
        activation: 'relu',
        kernelRegularizer: 'l2',
        biasRegularizer: 'l1',
        activityRegularizer: 'l1l2',
      }),
    ]),
    compile: sparse(),
    targets: 'classes',
  },
  // Losses.
  {
    name: 'categoricalCrossentropy',
    model: classifier(() => []),
    compile: () => ({
      optimizer: sgd(),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy', 'topKCategoricalAccuracy'],
    }),
    targets: 'oneHot',
  },
  {
    name: 'categoricalCrossentropy from logits, label smoothing',
    model: classifier(
      () => [],
      () => layers.dense({ units: CLASSES }),
    ),
    compile: () => ({
      optimizer: sgd(),
      loss: losses.categoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
    }),
    targets: 'oneHot',
  },
  {
    name: 'sparseCategoricalCrossentropy from logits',
    model: classifier(
      () => [],
      () => layers.dense({ units: CLASSES }),
    ),
    compile: () => ({ optimizer: sgd(), loss: losses.sparseCategoricalCrossentropy({ fromLogits: true }) }),
    targets: 'classes',
  },
  {
    name: 'binaryCrossentropy',
    model: classifier(
      () => [],
      () => layers.dense({ units: 2, activation: 'sigmoid' }),
    ),
    compile: () => ({
      optimizer: sgd(),
      loss: 'binaryCrossentropy',
      metrics: ['accuracy', 'precision', 'recall', metricsApi.auc({})],
    }),
    targets: 'binary',
  },
  {
    name: 'binaryCrossentropy from logits, label smoothing',
    model: classifier(
      () => [],
      () => layers.dense({ units: 2 }),
    ),
    compile: () => ({ optimizer: sgd(), loss: losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }) }),
    targets: 'binary',
  },
  {
    name: 'meanSquaredError',
    model: classifier(
      () => [],
      () => layers.dense({ units: 2 }),
    ),
    compile: () => ({ optimizer: sgd(), loss: 'meanSquaredError', metrics: ['meanAbsoluteError'] }),
    targets: 'regression',
  },
  {
    name: 'meanAbsoluteError',
    model: classifier(
      () => [],
      () => layers.dense({ units: 2 }),
    ),
    compile: () => ({ optimizer: sgd(), loss: 'meanAbsoluteError' }),
    targets: 'regression',
  },
  {
    name: 'huber',
    model: classifier(
      () => [],
      () => layers.dense({ units: 2 }),
    ),
    compile: () => ({ optimizer: sgd(), loss: losses.huber({ delta: 0.5 }) }),
    targets: 'regression',
  },
  {
    name: 'hinge',
    model: classifier(
      () => [],
      () => layers.dense({ units: 2, activation: 'tanh' }),
    ),
    compile: () => ({ optimizer: sgd(), loss: 'hinge' }),
    targets: 'binary',
  },
  // Optimizers, with the gradient transforms on some.
  {
    name: 'sgd momentum nesterov, clipValue',
    model: classifier(() => []),
    compile: sparse(() => optimizers.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true, clipValue: 0.05 })),
    targets: 'classes',
  },
  {
    name: 'adam amsgrad, clipNorm',
    model: classifier(() => []),
    compile: sparse(() => optimizers.adam({ learningRate: 0.01, amsgrad: true, clipNorm: 0.5 })),
    targets: 'classes',
  },
  {
    name: 'adamw, globalClipNorm',
    model: classifier(() => []),
    compile: sparse(() => optimizers.adamw({ learningRate: 0.01, globalClipNorm: 0.5 })),
    targets: 'classes',
  },
  {
    name: 'nadam',
    model: classifier(() => []),
    compile: sparse(() => optimizers.nadam({ learningRate: 0.01 })),
    targets: 'classes',
  },
  {
    name: 'adamax, weightDecay',
    model: classifier(() => []),
    compile: sparse(() => optimizers.adamax({ learningRate: 0.01, weightDecay: 0.01 })),
    targets: 'classes',
  },
  {
    name: 'adagrad',
    model: classifier(() => []),
    compile: sparse(() => optimizers.adagrad({ learningRate: 0.05 })),
    targets: 'classes',
  },
  {
    name: 'rmsprop centered, momentum',
    model: classifier(() => []),
    compile: sparse(() => optimizers.rmsprop({ learningRate: 0.01, centered: true, momentum: 0.5 })),
    targets: 'classes',
  },
  {
    name: 'adadelta',
    model: classifier(() => []),
    compile: sparse(() => optimizers.adadelta({ learningRate: 1 })),
    targets: 'classes',
  },
  {
    name: 'lion, weightDecay, clipValue',
    model: classifier(() => []),
    compile: sparse(() => optimizers.lion({ learningRate: 0.003, weightDecay: 0.1, clipValue: 0.5 })),
    targets: 'classes',
  },
];
