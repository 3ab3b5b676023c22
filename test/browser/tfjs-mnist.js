// The reference notebook's model on a real Fashion-MNIST subset, as a page trains it: the gzipped
// IDX files fetched from the test server, decompressed with DecompressionStream('gzip'), read with
// simdnet.datasets.parseIdx and split as datasets.fashionMnist({ validation: 5000, trainSamples })
// splits them in Node (validation = the training file's first images, training = the images after
// them, pixels / 255 as float32). Plain ES module code: the page imports it next to dist/, and
// Node can run trainNotebookModel on datasets.fashionMnist's tensors. Types: tfjs-mnist.d.ts.

const PIXELS = 28 * 28;

/** Fetches a gzipped IDX file and parses it (rank 1: labels, rank 3: images). */
export async function fetchIdx(simdnet, url, rank) {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}`);
  const bytes = new Uint8Array(
    await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer(),
  );
  return simdnet.datasets.parseIdx(bytes, url, rank);
}

function images(simdnet, idx, start, count) {
  if (idx.shape[1] !== 28 || idx.shape[2] !== 28 || start + count > idx.shape[0])
    throw new Error(`unexpected image file shape [${idx.shape}]`);
  const out = new Float32Array(count * PIXELS);
  const offset = start * PIXELS;
  for (let i = 0; i < out.length; i++) out[i] = idx.data[offset + i] / 255;
  return new simdnet.Tensor(out, [count, 28, 28]);
}

function labels(simdnet, idx, start, count) {
  if (start + count > idx.shape[0]) throw new Error(`unexpected label file shape [${idx.shape}]`);
  return new simdnet.Tensor(new Int32Array(idx.data.subarray(start, start + count)), [count]);
}

/**
 * The training file's split: validation = its first `validation` images (of which the first
 * `validSamples` are kept), training = the `trainSamples` images after them. `base` is the URL of
 * the directory holding train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz.
 */
export async function loadSubset(simdnet, base, { validation = 5000, trainSamples = 1000, validSamples = 1000 } = {}) {
  const [x, y] = await Promise.all([
    fetchIdx(simdnet, `${base}train-images-idx3-ubyte.gz`, 3),
    fetchIdx(simdnet, `${base}train-labels-idx1-ubyte.gz`, 1),
  ]);
  return {
    xTrain: images(simdnet, x, validation, trainSamples),
    yTrain: labels(simdnet, y, validation, trainSamples),
    xValid: images(simdnet, x, 0, validSamples),
    yValid: labels(simdnet, y, 0, validSamples),
  };
}

/** The notebook's model (Flatten → Dense 300 relu → Dense 100 relu → Dense 10 softmax, SGD 0.01, seed 42), fitted on `data`. */
export async function trainNotebookModel(simdnet, data, { epochs = 3, batchSize = 32 } = {}) {
  const { layers, optimizers, sequential } = simdnet;
  const model = sequential(
    [
      layers.flatten({ inputShape: [28, 28] }),
      layers.dense({ units: 300, activation: 'relu' }),
      layers.dense({ units: 100, activation: 'relu' }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
    { seed: 42 },
  );
  model.compile({
    optimizer: optimizers.sgd({ learningRate: 0.01 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const started = performance.now();
  const history = await model.fit(data.xTrain, data.yTrain, {
    epochs,
    batchSize,
    validationData: [data.xValid, data.yValid],
    verbose: 0,
  });
  return {
    history: history.history,
    fitSeconds: (performance.now() - started) / 1000,
    backend: simdnet.getBackend().description,
  };
}
