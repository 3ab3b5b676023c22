// Transfer learning on Fashion-MNIST, the reference procedure (Géron, ch. 11; the steps are in
// transfer-procedure.ts):
//   1. model A learns the 8 classes other than sandal (5) and shirt (6), and is saved;
//   2. model B reuses A's layers except the output, under a new Dense(1, sigmoid), for the binary
//      task "shirt or sandal?" on only 200 training images, first with A's layers frozen;
//   3. then only the top hidden layer is unfrozen and training continues with a lower learning rate;
//   4. the test accuracy is reported at each stage, against a model trained from scratch on the same
//      200 images.
// Run with `npm run example:transfer`.

import { datasets, setSeed } from '../src/index.js';
import { transferLearning } from './transfer-procedure.js';

setSeed(Number(process.env.SEED ?? 42));

const { xTrain, yTrain, xTest, yTest } = await datasets.fashionMnist({ validation: 0 });
const started = performance.now();
await transferLearning({ x: xTrain, y: yTrain }, { x: xTest, y: yTest });
console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s`);
