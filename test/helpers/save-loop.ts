// Child process of test/model/save-kill.test.ts: saves a big model into a directory over and over,
// save k holding every weight, every optimizer slot, the step count and the epoch equal to k, and
// prints `saved k` after each save returns. The parent kills it (SIGKILL) at random moments.
//
// Usage: tsx test/helpers/save-loop.ts <dir> <first k>

import { Tensor, layers, optimizers, sequential } from '../../src/index.js';

const [dir, firstArg] = process.argv.slice(2);
const model = sequential(
  [
    layers.dense({ units: 512, activation: 'relu', inputShape: [784] }),
    layers.dense({ units: 512, activation: 'relu' }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ],
  { seed: 1 },
);
model.compile({
  optimizer: optimizers.sgd({ learningRate: 0.01, momentum: 0.9 }),
  loss: 'sparseCategoricalCrossentropy',
});
// one step creates the momentum slots
await model.fit(new Tensor(new Float32Array(2 * 784), [2, 784]), new Tensor(new Int32Array(2), [2]), {
  epochs: 1,
  verbose: 0,
});
const optimizer = model.optimizer!;
const filled = (shape: readonly number[], k: number) =>
  new Tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(k), shape);

for (let k = Number(firstArg); ; k++) {
  model.setWeights(model.getWeights().map((w) => filled(w.shape, k)));
  optimizer.setWeights(optimizer.getWeights().map((w, i) => (i === 0 ? filled([1], k) : filled(w.shape, k))));
  model.epoch = k;
  await model.save(`file://${dir}`);
  process.stdout.write(`saved ${k}\n`);
}
