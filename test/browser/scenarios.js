// The runs the browser tests compare: plain ES module code, executed unchanged both in the page
// (page.html imports it next to dist/index.js) and in the Node test process (which passes the same
// dist/index.js), so that any difference in the results comes from the runtime, not the code.
// Types: scenarios.d.ts.

/** 60 samples of 4 features in [-1, 1] and a class 0..2, from integer arithmetic only (exact everywhere). */
export function tinyData(samples = 60) {
  const x = new Float32Array(samples * 4);
  const y = new Int32Array(samples);
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) / 16777216; // exact in float64: 24 bits
  };
  for (let i = 0; i < samples; i++) {
    let score = 0;
    for (let j = 0; j < 4; j++) {
      const v = next() * 2 - 1;
      x[i * 4 + j] = v;
      score += (j + 1) * v;
    }
    y[i] = score < -0.7 ? 0 : score < 0.7 ? 1 : 2;
  }
  return { x, y };
}

function plain(tensor) {
  return { shape: Array.from(tensor.shape), values: Array.from(tensor.dataSync()) };
}

/** A seeded dense 8 (relu) → dense 3 (softmax) model. */
export function tinyModel(simdnet, seed = 7) {
  const { sequential, layers } = simdnet;
  return sequential(
    [
      layers.dense({ units: 8, activation: 'relu', inputShape: [4], name: 'hidden' }),
      layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
    ],
    { seed },
  );
}

/**
 * Trains tinyModel on tinyData (shuffled by the model's seeded generator) and returns the loss and
 * accuracy history, the final weights and the predictions on the training inputs, as plain arrays.
 * `configure` is passed to configureBackend before the kernels load (e.g. { threads: 2 }).
 */
export async function trainTiny(simdnet, options = {}) {
  const { epochs = 5, optimizer = 'adam', configure } = options;
  if (configure) simdnet.configureBackend(configure);
  await simdnet.ready();
  const { x, y } = tinyData();
  const model = tinyModel(simdnet, options.seed ?? 7);
  const opt = optimizer === 'adam' ? simdnet.optimizers.adam({ learningRate: 0.05 }) : simdnet.optimizers.sgd({ learningRate: 0.2, momentum: 0.9 });
  model.compile({ optimizer: opt, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const xs = simdnet.tensor(x, [x.length / 4, 4]);
  const history = await model.fit(xs, y, { epochs, batchSize: 8, shuffle: true, verbose: 0 });
  const backend = simdnet.getBackend();
  return {
    history: history.history,
    weights: model.getWeights().map(plain),
    predictions: plain(model.predict(xs)),
    backend: { description: backend.description, threads: backend.threads ?? null, flavour: backend.flavour ?? null },
  };
}
