// Saving and loading in the tfjs-layers format: simdnet → simdnet, tfjs → simdnet (tfjs's own
// artifacts written to files), simdnet → tfjs (tfjs's model.json reader, getModelArtifactsForJSON,
// fed our parsed model.json with its extra `simdnet` block), and every loadModel error.

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataError,
  Generator,
  Tensor,
  ValueError,
  layers,
  loadModel,
  optimizers,
  sequential,
  type Sequential,
} from '../../src/index.js';
import { relErr } from '../helpers/compare.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(join(tmpdir(), 'simdnet-save-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dirCount = 0;
const newDir = () => join(root, `m${dirCount++}`);

function seededInput(shape: number[], seed: number): Float32Array {
  const rng = new Generator(seed);
  const x = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  return x;
}

/** Random weights (so that biases, β, moving statistics and PReLU slopes are not trivial). */
function randomizeWeights(model: Sequential, seed: number): void {
  const rng = new Generator(seed);
  model.setWeights(
    model.getWeights().map((w) => {
      const d = new Float32Array(w.size);
      const variance =
        w.rank === 1 &&
        model.layers.some((l) => l.weights.some((v) => v.name.endsWith('moving_variance') && v.shape[0] === w.size));
      for (let i = 0; i < d.length; i++) d[i] = variance ? 0.5 + rng.uniform() : (rng.uniform() - 0.5) * 0.6;
      return new Tensor(d, w.shape);
    }),
  );
}

/** Writes tfjs's save artifacts as model.json + weights.bin (what tfjs-node's file:// writes). */
async function saveTfjs(model: tf.LayersModel, dir: string): Promise<void> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer: true },
  );
  const a = artifacts!;
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  const json = {
    modelTopology: a.modelTopology,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy,
    trainingConfig: a.trainingConfig,
    weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(a.weightData as ArrayBuffer));
}

/** Loads our files in tfjs the way its own model.json readers do (getModelArtifactsForJSON). */
async function loadInTfjs(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const handler: tf.io.IOHandler = {
    load: () =>
      tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((g) => g.weights);
        const buffers = manifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
        const all = Buffer.concat(buffers);
        return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
      }),
  };
  return tf.loadLayersModel(handler);
}

const SUPPORTED_TFJS_ACTIVATIONS = [
  'elu',
  'hardSigmoid',
  'linear',
  'relu',
  'selu',
  'sigmoid',
  'softmax',
  'softplus',
  'softsign',
  'tanh',
  'swish',
  'gelu',
] as const;

function tfjsEveryLayer(activation: string): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.inputLayer({ inputShape: [2, 3] }),
      tf.layers.flatten(),
      tf.layers.dense({
        units: 8,
        activation: activation as 'relu',
        kernelInitializer: 'heNormal',
        kernelRegularizer: tf.regularizers.l2({ l2: 1e-3 }),
      }),
      tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 }),
      tf.layers.dropout({ rate: 0.3 }),
      tf.layers.prelu(),
      tf.layers.leakyReLU({ alpha: 0.1 }),
      tf.layers.elu(),
      tf.layers.reshape({ targetShape: [2, 4] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4, useBias: false }),
      tf.layers.activation({ activation: 'tanh' }),
      tf.layers.dense({ units: 3 }),
      tf.layers.softmax(),
    ],
  });
}

describe('tfjs → simdnet', () => {
  it.each(SUPPORTED_TFJS_ACTIVATIONS)(
    'a tfjs model with every layer type and Dense activation %s loads and predicts the same',
    async (activation) => {
      const tfModel = tfjsEveryLayer(activation);
      tfModel.compile({ optimizer: tf.train.sgd(0.05), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      // random weights, including β, γ, the moving statistics (positive variances) and PReLU slopes
      const rng = new Generator(7);
      const names = tfModel.weights.map((w) => w.originalName);
      tfModel.setWeights(
        tfModel.getWeights().map((w, i) => {
          const variance = names[i].includes('moving_variance');
          return tf.tensor(
            Float32Array.from({ length: w.size }, () => (variance ? 0.5 + rng.uniform() : (rng.uniform() - 0.5) * 0.8)),
            w.shape,
          );
        }),
      );
      const dir = newDir();
      await saveTfjs(tfModel, dir);
      const model = await loadModel(`file://${dir}/model.json`);
      const x = seededInput([5, 2, 3], 3);
      const ours = model.predict(new Tensor(x, [5, 2, 3])).data;
      const theirs = tf.tidy(() => (tfModel.predict(tf.tensor(x, [5, 2, 3])) as tf.Tensor).dataSync());
      expect(relErr(ours, theirs)).toBeLessThan(1e-5);
      expect(model.layers.map((l) => l.className)).toEqual([
        'Flatten',
        'Dense',
        'BatchNormalization',
        'Dropout',
        'PReLU',
        'LeakyReLU',
        'ELU',
        'Reshape',
        'Flatten',
        'Dense',
        'Activation',
        'Dense',
        'Softmax',
      ]);
      expect(model.optimizer?.className).toBe('SGD');
      expect(model.optimizer?.learningRate).toBeCloseTo(0.05, 7);
      expect(model.loss?.name).toBe('sparseCategoricalCrossentropy');
      expect(model.metricKeys).toEqual(['accuracy']);
      const dense = model.layers[1] as unknown as {
        kernelRegularizer: { l2: number } | null;
        kernelInitializer: { className: string };
      };
      expect(dense.kernelRegularizer?.l2).toBeCloseTo(1e-3, 9);
      model.dispose();
    },
  );

  it('an activation simdnet lacks (gelu_new) is refused, naming it', async () => {
    const tfModel = tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'gelu_new', inputShape: [3] })] });
    const dir = newDir();
    await saveTfjs(tfModel, dir);
    await expect(loadModel(dir)).rejects.toThrow(
      new RegExp(
        'modelTopology\\.config\\.layers\\[0\\] \\(Dense\\): dense_Dense\\d+: activation: unknown activation ' +
          '"gelu_new"; ' +
          'known: linear, relu',
      ),
    );
  });
});

function simdnetEveryLayer(activation: 'relu' | 'gelu' | 'selu' | 'hardSigmoid' | 'swish' | 'softplus'): Sequential {
  return sequential(
    [
      layers.input({ shape: [2, 3] }),
      layers.flatten(),
      layers.dense({ units: 8, activation, kernelInitializer: 'heNormal', kernelRegularizer: 'l2' }),
      layers.batchNormalization({ momentum: 0.9 }),
      layers.dropout({ rate: 0.3, seed: 5 }),
      layers.prelu(),
      layers.leakyReLU({ alpha: 0.1 }),
      layers.elu(),
      layers.reshape({ targetShape: [2, 4] }),
      layers.flatten(),
      layers.dense({ units: 4, useBias: false, kernelInitializer: 'glorotNormal' }),
      layers.activation({ activation: 'tanh' }),
      layers.dense({ units: 3 }),
      layers.softmax(),
    ],
    { seed: 11 },
  );
}

describe('simdnet → tfjs and simdnet → simdnet', () => {
  it.each(['relu', 'gelu', 'selu', 'hardSigmoid', 'swish', 'softplus'] as const)(
    'a model with every layer type (Dense %s) loads in tfjs and in simdnet with the same predictions',
    async (activation) => {
      const model = simdnetEveryLayer(activation);
      randomizeWeights(model, 9);
      model.compile({
        optimizer: optimizers.sgd({ learningRate: 0.05 }),
        loss: 'sparseCategoricalCrossentropy',
        metrics: ['accuracy'],
      });
      const dir = newDir();
      await model.save(`file://${dir}`);
      const x = seededInput([5, 2, 3], 4);
      const ours = model.predict(new Tensor(x, [5, 2, 3])).data;

      const tfModel = await loadInTfjs(dir);
      const theirs = tf.tidy(() => (tfModel.predict(tf.tensor(x, [5, 2, 3])) as tf.Tensor).dataSync());
      expect(relErr(theirs, ours)).toBeLessThan(1e-5);
      expect(tfModel.layers.map((l) => l.getClassName())).toEqual([
        'Flatten',
        'Dense',
        'BatchNormalization',
        'Dropout',
        'PReLU',
        'LeakyReLU',
        'ELU',
        'Reshape',
        'Flatten',
        'Dense',
        'Activation',
        'Dense',
        'Softmax',
      ]);

      const back = await loadModel(`file://${dir}`);
      expect(Array.from(back.predict(new Tensor(x, [5, 2, 3])).data)).toEqual(Array.from(ours));
      // the loaded model saves the same topology and training configuration
      const again = newDir();
      await back.save(again);
      const [a, b] = [dir, again].map((d) => JSON.parse(readFileSync(join(d, 'model.json'), 'utf8')));
      expect(b.modelTopology).toEqual(a.modelTopology);
      expect(b.trainingConfig).toEqual(a.trainingConfig);
      expect(back.name).toBe(model.name);
      expect(back.metricKeys).toEqual(['accuracy']);
      model.dispose();
      back.dispose();
    },
  );

  it(
    'writes the tfjs-layers layout: model.json with snake_case configs, weights.bin in manifest order, the simdnet ' +
      'block',
    async () => {
      const model = sequential(
        [
          layers.dense({ units: 3, activation: 'relu', inputShape: [4] }),
          layers.dense({ units: 2, activation: 'softmax' }),
        ],
        { seed: 1 },
      );
      model.compile({
        optimizer: optimizers.sgd({ learningRate: 0.1 }),
        loss: 'categoricalCrossentropy',
        metrics: ['accuracy'],
      });
      const dir = newDir();
      await model.save(dir, { epoch: 3 });
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      expect(json.format).toBe('layers-model');
      expect(json.modelTopology.class_name).toBe('Sequential');
      const first = json.modelTopology.config.layers[0];
      expect(first.class_name).toBe('Dense');
      expect(first.config).toMatchObject({
        units: 3,
        activation: 'relu',
        use_bias: true,
        batch_input_shape: [null, 4],
        kernel_initializer: { class_name: 'GlorotUniform', config: {} },
      });
      expect(json.trainingConfig).toMatchObject({
        loss: 'categorical_crossentropy',
        metrics: ['accuracy'],
        optimizer_config: { class_name: 'SGD' },
      });
      expect(json.simdnet).toMatchObject({ formatVersion: 1, epoch: 3 });
      expect(json.simdnet.generatorState).toHaveLength(5);
      expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual(
        model.layers.flatMap((l) => l.weights.map((v) => v.name)),
      );
      const bytes = readFileSync(join(dir, json.weightsManifest[0].paths[0]));
      const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      expect(Array.from(floats)).toEqual(model.getWeights().flatMap((w) => Array.from(w.data)));
      expect((await loadModel(dir)).epoch).toBe(3);
      // saving again writes the other file name and removes the first, so model.json always points at complete files
      await model.save(dir);
      const again = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      expect(again.weightsManifest[0].paths[0]).not.toBe(json.weightsManifest[0].paths[0]);
      expect(
        readdirSync(dir)
          .filter((f) => f.endsWith('.bin'))
          .sort(),
      ).toEqual([...again.weightsManifest[0].paths, ...(again.simdnet.optimizerWeights?.paths ?? [])].sort());
    },
  );
});

describe('loadModel errors: each names the problem, and nothing is returned', () => {
  let dir: string;
  let good: Record<string, unknown>;
  beforeAll(async () => {
    const model = sequential([layers.dense({ units: 3, inputShape: [4] })], { seed: 2 });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    dir = newDir();
    await model.save(dir);
    good = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  });
  const variant = (name: string, json: string | object, weights?: Uint8Array): string => {
    const d = join(root, `bad-${name}`);
    rmSync(d, { recursive: true, force: true });
    const { mkdirSync, cpSync } = require('node:fs') as typeof import('node:fs');
    mkdirSync(d);
    for (const f of readdirSync(dir)) cpSync(join(dir, f), join(d, f));
    writeFileSync(join(d, 'model.json'), typeof json === 'string' ? json : JSON.stringify(json));
    if (weights) writeFileSync(join(d, (good.weightsManifest as { paths: string[] }[])[0].paths[0]), weights);
    return d;
  };

  it('a missing path', async () => {
    await expect(loadModel(join(root, 'nowhere'))).rejects.toThrow(
      /cannot read .*nowhere.*model\.json \(ENOENT\): no model was saved there/,
    );
    await expect(loadModel(join(root, 'nowhere'))).rejects.toBeInstanceOf(DataError);
  });
  it('model.json that is not JSON', async () => {
    await expect(loadModel(variant('json', '{"modelTopology": '))).rejects.toThrow(/is not valid JSON/);
  });
  it('missing modelTopology or weightsManifest', async () => {
    const { modelTopology: _t, ...noTopology } = good;
    await expect(loadModel(variant('topology', noTopology))).rejects.toThrow(
      /has no modelTopology; a tfjs-layers model\.json holds modelTopology and weightsManifest/,
    );
    const { weightsManifest: _w, ...noManifest } = good;
    await expect(loadModel(variant('manifest', noManifest))).rejects.toThrow(/has no weightsManifest/);
  });
  it('weight files shorter or longer than the manifest says', async () => {
    const path = (good.weightsManifest as { paths: string[] }[])[0].paths[0];
    const bytes = new Uint8Array(readFileSync(join(dir, path)));
    await expect(loadModel(variant('short', good, bytes.subarray(0, bytes.length - 4)))).rejects.toThrow(
      /holds 56 bytes \(weights\.bin: 56 bytes\) but the manifest's 2 tensors need 60: the file is truncated/,
    );
    await expect(loadModel(variant('long', good, new Uint8Array([...bytes, 0, 0, 0, 0])))).rejects.toThrow(
      /holds 64 bytes .* need 60: the file is longer than the manifest says/,
    );
  });
  it('an unknown layer class, naming it and the known ones', async () => {
    const json = structuredClone(good) as { modelTopology: { config: { layers: { class_name: string }[] } } };
    json.modelTopology.config.layers[0].class_name = 'Conv2D';
    await expect(loadModel(variant('class', json))).rejects.toThrow(
      /layers\[0\]: unknown layer class "Conv2D"; known: Dense, Flatten, Reshape, .*PReLU, InputLayer/,
    );
  });
  it('an unknown format version', async () => {
    await expect(
      loadModel(variant('version', { ...good, simdnet: { ...(good.simdnet as object), formatVersion: 2 } })),
    ).rejects.toThrow(/simdnet format version 2; this simdnet reads version 1/);
  });
  it('a weight name that does not match the layers, and a path leaving the directory', async () => {
    const json = structuredClone(good) as { weightsManifest: { paths: string[]; weights: { name: string }[] }[] };
    json.weightsManifest[0].weights[0].name = 'other/kernel';
    await expect(loadModel(variant('names', json))).rejects.toThrow(
      /do not match the layers: missing dense(_\d+)?\/kernel; unexpected other\/kernel/,
    );
    const outside = structuredClone(good) as { weightsManifest: { paths: string[] }[] };
    outside.weightsManifest[0].paths = ['../../etc/passwd'];
    await expect(loadModel(variant('escape', outside))).rejects.toThrow(/points outside the model's directory/);
  });
  it('loading changes no file', async () => {
    const before = readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')]);
    await loadModel(dir);
    expect(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')])).toEqual(before);
  });
  it('unsupported URL schemes and arguments', async () => {
    await expect(loadModel('http://example.com/model.json')).rejects.toThrow(
      /unsupported URL scheme "http:\/\/"; known: file:\/\/, indexeddb:\/\/, downloads:\/\//,
    );
    await expect(loadModel(42 as never)).rejects.toThrow(/expected a URL such as 'file:\/\/.\/my-model'/);
  });
});

describe('loadModel errors: an optimizer state that does not match the model', () => {
  type Spec = { name: string; shape: number[]; dtype: string };
  type Json = { simdnet: { optimizerWeights: { paths: string[]; weights: Spec[] } } };
  const X = new Tensor(seededInput([6, 4], 21), [6, 4]);
  const Y = new Tensor(Int32Array.of(0, 1, 0, 1, 1, 0), [6]);
  let dir: string;
  let good: Json;
  /** The saved state, name → values, in file order. */
  let slots: { spec: Spec; data: Float32Array }[];

  const trained = () => {
    const model = sequential(
      [
        layers.dense({ units: 3, activation: 'tanh', inputShape: [4], name: 'hidden' }),
        layers.dense({ units: 2, activation: 'softmax', name: 'out' }),
      ],
      { seed: 4 },
    );
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy' });
    return model;
  };
  beforeAll(async () => {
    const model = trained();
    await model.fit(X, Y, { epochs: 2, batchSize: 6, shuffle: false, verbose: 0 });
    dir = newDir();
    await model.save(dir);
    model.dispose();
    good = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const bytes = readFileSync(join(dir, good.simdnet.optimizerWeights.paths[0]));
    const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    let at = 0;
    slots = good.simdnet.optimizerWeights.weights.map((spec) => {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      at += size;
      return { spec, data: floats.slice(at - size, at) };
    });
  });

  /** A copy of the good save whose optimizer group (manifest and bytes) is `edited`. */
  const withState = (name: string, edited: { spec: Spec; data: Float32Array }[]): string => {
    const d = join(root, `state-${name}`);
    rmSync(d, { recursive: true, force: true });
    const { mkdirSync, cpSync } = require('node:fs') as typeof import('node:fs');
    mkdirSync(d);
    for (const f of readdirSync(dir)) cpSync(join(dir, f), join(d, f));
    const json = structuredClone(good);
    json.simdnet.optimizerWeights.weights = edited.map((e) => e.spec);
    writeFileSync(join(d, 'model.json'), JSON.stringify(json));
    const floats = Float32Array.from(edited.flatMap((e) => Array.from(e.data)));
    writeFileSync(join(d, json.simdnet.optimizerWeights.paths[0]), new Uint8Array(floats.buffer));
    return d;
  };
  const FIX = new RegExp(
    'Load it without the optimizer state, loadModel\\(url, \\{ includeOptimizer: false \\}\\), to train on with a ' +
      'fresh optimizer, or save the model again',
  );

  it('the good save holds iterations and m, v for each trainable weight, and loads', async () => {
    expect(slots.map((s) => s.spec.name)).toEqual([
      'optimizer/iterations',
      ...['hidden/kernel', 'hidden/bias', 'out/kernel', 'out/bias'].flatMap((w) => [
        `optimizer/${w}/m`,
        `optimizer/${w}/v`,
      ]),
    ]);
    const model = await loadModel(dir);
    expect(Array.from(model.optimizer!.getWeights()[0].data)).toEqual([2]);
    model.dispose();
  });
  it('a slot removed: names it and the shape expected', async () => {
    const d = withState(
      'removed',
      slots.filter((s) => s.spec.name !== 'optimizer/hidden/kernel/v'),
    );
    await expect(loadModel(d)).rejects.toBeInstanceOf(DataError);
    await expect(loadModel(d)).rejects.toThrow(
      new RegExp(
        'simdnet\\.optimizerWeights: the saved optimizer state does not match the model: slot hidden\\/kernel\\/v is ' +
          'missing \\(expected float32 \\[4, 3\\]\\)\\. \\(Adam keeps m, v for each trainable weight, named ' +
          '<weight>\\/<slot>, plus iterations\\.\\)',
      ),
    );
    await expect(loadModel(d)).rejects.toThrow(FIX);
  });
  it('a slot whose shape changed (same bytes, so only the check can see it)', async () => {
    const d = withState(
      'shape',
      slots.map((s) => (s.spec.name === 'optimizer/out/bias/m' ? { ...s, spec: { ...s.spec, shape: [1, 2] } } : s)),
    );
    await expect(loadModel(d)).rejects.toThrow(
      /: slot out\/bias\/m is float32 \[1, 2\] in the file, expected float32 \[2\]\. /,
    );
    await expect(loadModel(d)).rejects.toThrow(FIX);
  });
  it('a slot renamed: the missing name and the unexpected one', async () => {
    const d = withState(
      'renamed',
      slots.map((s) =>
        s.spec.name === 'optimizer/hidden/bias/m'
          ? { ...s, spec: { ...s.spec, name: 'optimizer/hidden/bias/momentum' } }
          : s,
      ),
    );
    await expect(loadModel(d)).rejects.toThrow(
      /: slot hidden\/bias\/m is missing \(expected float32 \[3\]\); unexpected slot hidden\/bias\/momentum\. /,
    );
  });
  it('the step count missing or not a count', async () => {
    await expect(loadModel(withState('no-step', slots.slice(1)))).rejects.toThrow(
      /: the step count \(iterations, shape \[1\]\) is missing\. /,
    );
    await expect(
      loadModel(withState('bad-step', [{ spec: slots[0].spec, data: Float32Array.of(1.5) }, ...slots.slice(1)])),
    ).rejects.toThrow(/: iterations holds 1\.5, expected an integer >= 0\. /);
  });
  it('a state for another optimizer (SGD momentum slots in an Adam file)', async () => {
    const json = structuredClone(good) as Json & {
      trainingConfig: { optimizer_config: { class_name: string; config: object } };
    };
    json.trainingConfig.optimizer_config = {
      class_name: 'SGD',
      config: { learningRate: 0.1, momentum: 0.9, nesterov: false },
    };
    const d = withState('other-optimizer', slots);
    writeFileSync(join(d, 'model.json'), JSON.stringify(json));
    await expect(loadModel(d)).rejects.toThrow(
      new RegExp(
        'slot hidden\\/kernel\\/momentum is missing \\(expected float32 \\[4, 3\\]\\);.*unexpected slots ' +
          'hidden\\/kernel\\/m, hidden\\/kernel\\/v, .*\\(SGD keeps momentum for each trainable weight',
      ),
    );
  });
  it('includeOptimizer: false loads the same file with a fresh optimizer; the option is checked', async () => {
    const d = withState(
      'removed-2',
      slots.filter((s) => s.spec.name !== 'optimizer/hidden/kernel/v'),
    );
    const model = await loadModel(d, { includeOptimizer: false });
    expect(model.optimizer!.className).toBe('Adam');
    expect(Array.from(model.optimizer!.getWeights()[0].data)).toEqual([0]);
    await model.fit(X, Y, { epochs: 1, batchSize: 6, shuffle: false, verbose: 0 });
    expect(model.optimizer!.slotNames()).toHaveLength(9);
    model.dispose();
    await expect(loadModel(d, { includeOptimizer: 'no' } as never)).rejects.toBeInstanceOf(ValueError);
    await expect(loadModel(d, { includeOptimizer: 'no' } as never)).rejects.toThrow(
      /loadModel: includeOptimizer: expected true or false, received "no"/,
    );
  });
  it('slots are matched by name, not position: a state written in another order resumes the same', async () => {
    const reversed = withState('reversed', [slots[0], ...slots.slice(1).reverse()]);
    const [a, b] = [await loadModel(dir), await loadModel(reversed)];
    for (const m of [a, b]) await m.fit(X, Y, { epochs: 1, batchSize: 6, shuffle: false, verbose: 0 });
    expect(b.optimizer!.getWeights().map((w) => Array.from(w.data))).toEqual(
      a.optimizer!.getWeights().map((w) => Array.from(w.data)),
    );
    expect(b.getWeights().map((w) => Array.from(w.data))).toEqual(a.getWeights().map((w) => Array.from(w.data)));
    // and they equal training on without the save: 3 steps from the same seed
    const c = trained();
    await c.fit(X, Y, { epochs: 3, batchSize: 6, shuffle: false, verbose: 0 });
    expect(a.getWeights().map((w) => Array.from(w.data))).toEqual(c.getWeights().map((w) => Array.from(w.data)));
    for (const m of [a, b, c]) m.dispose();
  });
  it(
    'a loaded state saved again before any fit keeps every slot, ' + 'and training resumes as without the detour',
    async () => {
      const loaded = await loadModel(dir);
      expect(loaded.optimizer!.getWeights().map((w) => Array.from(w.data))).toEqual(
        slots.map((s) => Array.from(s.data)),
      );
      const again = newDir();
      await loaded.save(again);
      const resaved = JSON.parse(readFileSync(join(again, 'model.json'), 'utf8')) as Json;
      expect(resaved.simdnet.optimizerWeights.weights).toEqual(good.simdnet.optimizerWeights.weights);
      expect(readFileSync(join(again, resaved.simdnet.optimizerWeights.paths[0]))).toEqual(
        readFileSync(join(dir, good.simdnet.optimizerWeights.paths[0])),
      );
      const [direct, detour] = [await loadModel(dir), await loadModel(again)];
      for (const m of [direct, detour]) await m.fit(X, Y, { epochs: 1, batchSize: 6, shuffle: false, verbose: 0 });
      expect(detour.getWeights().map((w) => Array.from(w.data))).toEqual(
        direct.getWeights().map((w) => Array.from(w.data)),
      );
      for (const m of [loaded, direct, detour]) m.dispose();
    },
  );
  it('a state saved before the first fit (the step count only) still loads', async () => {
    const model = trained();
    const d = newDir();
    await model.save(d);
    const loaded = await loadModel(d);
    expect(loaded.optimizer!.slotNames()).toEqual(['iterations']);
    for (const m of [model, loaded]) m.dispose();
  });
});
