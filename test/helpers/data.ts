// Small synthetic classification data: separable enough that a model learns it in a few epochs.

import { Generator } from '../../src/random.js';
import { Tensor } from '../../src/tensor.js';

export function blobs(samples: number, features: number, classes: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Generator(seed);
  const centers = Float32Array.from({ length: classes * features }, () => rng.normal() * 2);
  const x = new Float32Array(samples * features);
  const y = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    const c = rng.int(classes);
    y[i] = c;
    for (let j = 0; j < features; j++) x[i * features + j] = centers[c * features + j] + rng.normal() * 0.5;
  }
  return { x: new Tensor(x, [samples, features]), y: new Tensor(y, [samples]) };
}
