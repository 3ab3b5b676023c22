// Transfer learning on Fashion-MNIST, the reference procedure (Géron, ch. 11):
//   1. model A learns the 8 classes other than sandal (5) and shirt (6), and is saved;
//   2. model B reuses A's layers except the output, under a new Dense(1, sigmoid), for the binary
//      task "shirt or sandal?" on only 200 training images: first with A's layers frozen, so the new
//      output layer learns without wrecking them, then unfrozen with a lower learning rate;
//   3. the test accuracy is reported at each stage, against a model trained from scratch on the same
//      200 images.
// Run with `npm run example:transfer`.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasets, layers, loadModel, optimizers, sequential, setSeed, Tensor } from '../src/index.js';

setSeed(Number(process.env.SEED ?? 42));
const SANDAL = 5;
const SHIRT = 6;

const { xTrain, yTrain, xTest, yTest } = await datasets.fashionMnist({ validation: 0 });
const pixels = 28 * 28;

/** The images whose label passes `keep`, with labels mapped by `label`; at most `limit` of them. */
function subset(x: Tensor, y: Tensor, keep: (c: number) => boolean, label: (c: number) => number, limit = Infinity, asFloat = false) {
  const rows: number[] = [];
  for (let i = 0; i < y.size && rows.length < limit; i++) if (keep(y.data[i])) rows.push(i);
  const xs = new Float32Array(rows.length * pixels);
  rows.forEach((r, i) => xs.set(x.data.subarray(r * pixels, (r + 1) * pixels), i * pixels));
  const labels = rows.map((r) => label(y.data[r]));
  return { x: new Tensor(xs, [rows.length, 28, 28]), y: asFloat ? new Tensor(Float32Array.from(labels), [rows.length, 1]) : new Tensor(Int32Array.from(labels), [rows.length]) };
}

// Task A: 8 classes, labels 0–4 and 7–9 mapped to 0–7.
const toA = (c: number) => (c < SANDAL ? c : c - 2);
const isA = (c: number) => c !== SANDAL && c !== SHIRT;
const trainA = subset(xTrain, yTrain, isA, toA, 20000);
const testA = subset(xTest, yTest, isA, toA);
// Task B: shirt (1) or sandal (0), 200 training images.
const isB = (c: number) => c === SANDAL || c === SHIRT;
const toB = (c: number) => (c === SHIRT ? 1 : 0);
const trainB = subset(xTrain, yTrain, isB, toB, 200, true);
const testB = subset(xTest, yTest, isB, toB, Infinity, true);
console.log(`Task A: ${trainA.y.size} training images of 8 classes; task B: ${trainB.x.shape[0]} training images (sandal vs shirt), ${testB.x.shape[0]} test images\n`);

const started = performance.now();
const modelA = sequential([
  layers.flatten({ inputShape: [28, 28] }),
  layers.dense({ units: 100, activation: 'selu', kernelInitializer: 'lecunNormal' }),
  layers.dense({ units: 50, activation: 'selu', kernelInitializer: 'lecunNormal' }),
  layers.dense({ units: 50, activation: 'selu', kernelInitializer: 'lecunNormal' }),
  layers.dense({ units: 8, activation: 'softmax' }),
]);
modelA.compile({ optimizer: optimizers.sgd({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
await modelA.fit(trainA.x, trainA.y, { epochs: 8, batchSize: 32, verbose: 0 });
console.log(`Model A (8 classes): test accuracy ${modelA.evaluate(testA.x, testA.y).accuracy.toFixed(4)}`);
const dir = mkdtempSync(join(tmpdir(), 'simdnet-model-a-'));
await modelA.save(`file://${dir}`);

// B reuses A's layers (a loaded copy, so A itself stays intact) with a new output layer.
const loadedA = await loadModel(`file://${dir}`);
const base = loadedA.layers.slice(0, -1);
const modelB = sequential([...base, layers.dense({ units: 1, activation: 'sigmoid' })]);
for (const layer of base) layer.trainable = false;
modelB.compile({ optimizer: optimizers.sgd({ learningRate: 0.01 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
modelB.summary();
await modelB.fit(trainB.x, trainB.y, { epochs: 4, batchSize: 32, verbose: 0 });
console.log(`Model B, reused layers frozen (4 epochs):   test accuracy ${modelB.evaluate(testB.x, testB.y).accuracy.toFixed(4)}`);

// Unfreeze; as in Keras, recompile for it to take effect, with a lower learning rate.
for (const layer of base) layer.trainable = true;
modelB.compile({ optimizer: optimizers.sgd({ learningRate: 0.001 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
await modelB.fit(trainB.x, trainB.y, { epochs: 16, batchSize: 32, verbose: 0 });
console.log(`Model B, unfrozen (+16 epochs, lr 1e-3):     test accuracy ${modelB.evaluate(testB.x, testB.y).accuracy.toFixed(4)}`);

// The baseline: the same architecture from scratch on the same 200 images.
const scratch = sequential([
  layers.flatten({ inputShape: [28, 28] }),
  layers.dense({ units: 100, activation: 'selu', kernelInitializer: 'lecunNormal' }),
  layers.dense({ units: 50, activation: 'selu', kernelInitializer: 'lecunNormal' }),
  layers.dense({ units: 50, activation: 'selu', kernelInitializer: 'lecunNormal' }),
  layers.dense({ units: 1, activation: 'sigmoid' }),
]);
scratch.compile({ optimizer: optimizers.sgd({ learningRate: 0.01 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
await scratch.fit(trainB.x, trainB.y, { epochs: 20, batchSize: 32, verbose: 0 });
console.log(`Same architecture from scratch (20 epochs):  test accuracy ${scratch.evaluate(testB.x, testB.y).accuracy.toFixed(4)}`);
console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s`);
rmSync(dir, { recursive: true, force: true });
