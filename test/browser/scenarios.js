// The runs the browser tests compare: plain ES module code, executed unchanged both in the page
// (page.html imports it next to dist/index.js) and in the Node test process (which passes the same
// dist/index.js), so that any difference in the results comes from the runtime, not the code.
// Types: scenarios.d.ts.

/** 60 samples of `features` (≥ 4) values in [-1, 1] and a class 0..2, from integer arithmetic only (exact everywhere). */
export function tinyData(samples = 60, features = 4) {
  const x = new Float32Array(samples * features);
  const y = new Int32Array(samples);
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) / 16777216; // exact in float64: 24 bits
  };
  for (let i = 0; i < samples; i++) {
    let score = 0;
    for (let j = 0; j < features; j++) {
      const v = next() * 2 - 1;
      x[i * features + j] = v;
      if (j < 4) score += (j + 1) * v;
    }
    y[i] = score < -0.7 ? 0 : score < 0.7 ? 1 : 2;
  }
  return { x, y };
}

function plain(tensor) {
  return { shape: Array.from(tensor.shape), values: Array.from(tensor.dataSync()) };
}

/** A seeded dense `hidden` (relu, default 8) → dense 3 (softmax) model. */
export function tinyModel(simdnet, seed = 7, features = 4, hidden = 8) {
  const { sequential, layers } = simdnet;
  return sequential(
    [
      layers.dense({ units: hidden, activation: 'relu', inputShape: [features], name: 'hidden' }),
      layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
    ],
    { seed },
  );
}

/**
 * Trains tinyModel on tinyData (shuffled by the model's seeded generator) and returns the loss and
 * accuracy history, the final weights and the predictions on the training inputs, as plain arrays.
 * `configure` is passed to configureBackend before the kernels load (e.g. { threads: 2 }); `features`
 * and `hidden` make the model big enough for its products to split over threads; `alwaysTeam` runs
 * every step on the thread team (the backend would otherwise pick the faster of team and one thread).
 */
export async function trainTiny(simdnet, options = {}) {
  const { epochs = 5, optimizer = 'adam', configure, features = 4, hidden = 8 } = options;
  if (configure) simdnet.configureBackend(configure);
  const ready = await simdnet.ready();
  if (options.alwaysTeam) {
    // The backend's test switches (dist/backend/wasm/testing.js, the module instance dist/index.js uses).
    const { testing } = await import('../../dist/backend/wasm/testing.js');
    testing.runOnTeam(ready);
  }
  const { x, y } = tinyData(60, features);
  const model = tinyModel(simdnet, options.seed ?? 7, features, hidden);
  const opt =
    optimizer === 'adam'
      ? simdnet.optimizers.adam({ learningRate: 0.05 })
      : simdnet.optimizers.sgd({ learningRate: 0.2, momentum: 0.9 });
  model.compile({ optimizer: opt, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const xs = simdnet.tensor(x, [x.length / features, features]);
  const history = await model.fit(xs, y, { epochs, batchSize: 8, shuffle: true, verbose: 0 });
  const backend = simdnet.getBackend();
  return {
    history: history.history,
    weights: model.getWeights().map(plain),
    predictions: plain(model.predict(xs)),
    backend: {
      description: backend.description,
      threads: backend.threads ?? null,
      flavour: backend.flavour ?? null,
      teamRuns: backend.teamRuns ?? 0,
    },
  };
}
