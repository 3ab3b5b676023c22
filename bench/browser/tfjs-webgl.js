// The page's half of bench/browser-tfjs.ts: the reference MLP trained on tfjs `webgl` by simdnet
// (configureBackend({ backend: 'tfjs', tf, tfjsBackend: 'webgl' })) and by tfjs-layers
// (tf.sequential + model.fit), from the same initial weights on the same synthetic samples. Plain ES
// module code that the page imports next to dist/ (no build step); Node drives it through
// page.evaluate, one call per warm-up or timed epoch, and times nothing itself. Types: tfjs-webgl.d.ts.
//
// Timing: performance.now() around `await model.fit(...)`. simdnet's fit reads each step's loss and
// metric on the host, so it has waited for the GPU when it returns; tfjs-layers' fit reads its loss
// only at the end of the epoch, so its epoch is closed by reading the last variable (the output bias,
// written by the last optimizer update): WebGL runs commands in order, and the read waits for all
// of them.

const PIXELS = 28 * 28;

/** `samples` images of 28×28 values in [0, 1) from integer arithmetic (same everywhere), labels i % 10. */
export function syntheticData(samples) {
  const x = new Float32Array(samples * PIXELS);
  let state = 12345;
  for (let i = 0; i < x.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    x[i] = (state >>> 8) / 16777216;
  }
  const y = new Int32Array(samples);
  for (let i = 0; i < samples; i++) y[i] = i % 10;
  return { x, y };
}

/** The reference MLP in simdnet (as bench/training.ts's simdnetModel). */
function simdnetModel(simdnet) {
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
  return model;
}

/** The same model in tfjs-layers (as bench/training.ts's tfjsModel), with simdnet's initial weights. */
function tfjsModel(tf, initial) {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28] }),
      tf.layers.dense({ units: 300, activation: 'relu' }),
      tf.layers.dense({ units: 100, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const weights = initial.map((w) => tf.tensor(w.data, [...w.shape]));
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

let session = null;
let run = null;

function memory(tf) {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes, numBytesInGPU: m.numBytesInGPU ?? 0 };
}

/**
 * Selects tfjs webgl for simdnet, makes the data (`samples`: the most any batch size trains) and the
 * initial weights (simdnet's seeded initialisation, taken once and given to every model of the
 * run). Returns what runs the models.
 */
export async function setup(simdnet, tf, { samples }) {
  simdnet.configureBackend({ backend: 'tfjs', tf, tfjsBackend: 'webgl' });
  const backend = await simdnet.ready();
  const { x, y } = syntheticData(samples);
  const init = simdnetModel(simdnet);
  const initial = init.getWeights();
  init.dispose();
  session = { simdnet, tf, xData: x, yData: y, initial };
  const gl = tf.backend().gpgpu?.gl;
  const info = gl?.getExtension('WEBGL_debug_renderer_info');
  return {
    simdnetBackend: backend.description,
    tfBackend: tf.getBackend(),
    tfVersion: tf.version.tfjs,
    webglVersion: tf.env().getNumber('WEBGL_VERSION'),
    float32: tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
    renderer: gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : 'unknown',
    memory: memory(tf),
  };
}

/**
 * Both models for one batch size on the first `samples` samples, each warmed up with one full epoch
 * (shader compilation, the first texture uploads, simdnet's program compilation). tfjs-layers gets
 * its data as tensors made once, as an application would; simdnet gets host tensors, as its fit
 * takes them.
 */
export async function prepare(batchSize, samples) {
  const { simdnet, tf, xData, yData, initial } = session;
  const xHost = xData.subarray(0, samples * PIXELS);
  const yHost = yData.subarray(0, samples);
  const x = new simdnet.Tensor(xHost, [samples, 28, 28]);
  const y = new simdnet.Tensor(yHost, [samples]);
  const xs = tf.tensor(xHost, [samples, 28, 28]);
  const ys = tf.tensor1d(Float32Array.from(yHost));
  const theirs = tfjsModel(tf, initial);
  const ours = simdnetModel(simdnet);
  ours.setWeights(initial);
  run = { batchSize, samples, ours, theirs, x, y, xs, ys };
  const tfjsWarmup = await tfjsEpoch();
  const simdnetWarmup = await simdnetEpoch();
  return { tfjsWarmup, simdnetWarmup, memory: memory(tf) };
}

/** One timed simdnet epoch: { rate (samples/s), seconds, loss, numTensors after }. */
export async function simdnetEpoch() {
  const { tf } = session;
  const { samples, x, y } = run;
  const t0 = performance.now();
  const history = await run.ours.fit(x, y, { epochs: 1, batchSize: run.batchSize, shuffle: true, verbose: 0 });
  const seconds = (performance.now() - t0) / 1000;
  return { rate: samples / seconds, seconds, loss: history.history.loss[0], memory: memory(tf) };
}

/** One timed tfjs-layers epoch (closed by reading the last variable, see the top). */
export async function tfjsEpoch() {
  const { tf } = session;
  const { samples } = run;
  const t0 = performance.now();
  const history = await run.theirs.fit(run.xs, run.ys, {
    epochs: 1,
    batchSize: run.batchSize,
    shuffle: true,
    verbose: 0,
  });
  await run.theirs.getWeights().at(-1).data();
  const seconds = (performance.now() - t0) / 1000;
  return { rate: samples / seconds, seconds, loss: history.history.loss[0], memory: memory(tf) };
}

/**
 * Frees both models and tfjs-layers' data tensors; what is left (tf.memory) should be nothing.
 * tfjs-layers' model.dispose() leaves an optimizer object passed to compile() alone (SGD keeps its
 * learning rate as a tensor): disposed here.
 */
export function dispose() {
  const { tf } = session;
  run.ours.dispose();
  run.theirs.dispose();
  run.theirs.optimizer.dispose();
  tf.dispose([run.xs, run.ys]);
  run = null;
  return memory(tf);
}

/**
 * The texture upload simdnet's fit pays and the tfjs-layers run does not, in seconds (median of
 * `repeats`): simdnet copies the training set into the backend at every fit (a fresh tensor, whose
 * texture is uploaded at its first use), where the tfjs-layers run reuses tensors made once. Measured
 * as a fresh tensor of the whole set read through one gathered row, minus the same gather on a
 * tensor already on the GPU.
 */
export function uploadProbe(samples, repeats = 7) {
  const { tf } = session;
  const xData = session.xData.subarray(0, samples * PIXELS);
  const med = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
  const table = tf.tensor2d(xData, [samples, PIXELS]);
  const row = tf.tensor1d([samples - 1], 'int32');
  const gatherOne = (t) => {
    const g = tf.gather(t, row);
    g.dataSync();
    g.dispose();
  };
  gatherOne(table);
  const resident = [];
  const fresh = [];
  for (let r = 0; r < repeats; r++) {
    let t0 = performance.now();
    gatherOne(table);
    resident.push(performance.now() - t0);
    t0 = performance.now();
    const t = tf.tensor2d(xData, [samples, PIXELS]);
    gatherOne(t);
    t.dispose();
    fresh.push(performance.now() - t0);
  }
  tf.dispose([table, row]);
  return (med(fresh) - med(resident)) / 1000;
}
