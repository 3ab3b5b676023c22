// The reference notebook's first experiment: an MLP on Fashion-MNIST trained with SGD.
// Run with `npm start`.

import { datasets, getBackend, layers, optimizers, sequential, setSeed, tensor } from '../src/index.js';

setSeed(Number(process.env.SEED ?? 42));

const { xTrain, yTrain, xValid, yValid, xTest, yTest, classNames } = await datasets.fashionMnist({
  validation: 5000,
  trainSamples: 10000,
});
console.log(`Fashion-MNIST: ${xTrain.shape[0]} training, ${xValid.shape[0]} validation, ${xTest.shape[0]} test images`);
console.log(`Backend: ${getBackend().description}\n`);

const model = sequential([
  layers.flatten({ inputShape: [28, 28] }),
  layers.dense({ units: 300, activation: 'relu' }),
  layers.dense({ units: 100, activation: 'relu' }),
  layers.dense({ units: 10, activation: 'softmax' }),
]);
model.summary();

model.compile({
  optimizer: optimizers.sgd({ learningRate: 0.01 }),
  loss: 'sparseCategoricalCrossentropy',
  metrics: ['accuracy'],
});
const started = performance.now();
await model.fit(xTrain, yTrain, { epochs: 10, batchSize: 32, validationData: [xValid, yValid] });
const seconds = (performance.now() - started) / 1000;
console.log(
  `\nTrained 10 epochs in ${seconds.toFixed(1)} s (${Math.round((10 * xTrain.shape[0]) / seconds)} samples/s, ` +
    `validation included)`,
);

const { loss, accuracy } = model.evaluate(xTest, yTest);
console.log(`Test loss ${loss.toFixed(4)}, test accuracy ${accuracy.toFixed(4)}`);

const firstThree = model.predict(tensor(xTest.data.subarray(0, 3 * 28 * 28), [3, 28, 28]));
console.log('First three test images:');
for (let i = 0; i < 3; i++) {
  const row = Array.from(firstThree.data.subarray(i * 10, i * 10 + 10));
  const predicted = row.indexOf(Math.max(...row));
  console.log(
    `  predicted ${predicted} (${classNames[predicted]}, p = ${row[predicted].toFixed(3)}), true ${yTest.data[i]} ` +
      `(${classNames[yTest.data[i]]})`,
  );
}
