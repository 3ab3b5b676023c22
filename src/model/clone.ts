// Copies of models and layers: new layer objects rebuilt from their configs, with their own copies
// of the weights (Keras's clone_model followed by set_weights). The copy is not compiled.

import { ValueError, describe } from '../errors.js';
import { Layer } from '../layers/layer.js';
import { layerFromConfig } from '../layers/registry.js';
import { Sequential } from './sequential.js';

/**
 * A new layer with the same configuration (and name) as `layer`, unbuilt: it gets weights of its own
 * when a model builds it. Copy the weights with `cloneModel`, or set them after building.
 *
 * @example
 * const head = cloneLayer(model.layers[2]);
 */
export function cloneLayer(layer: Layer): Layer {
  if (!(layer instanceof Layer)) throw new ValueError(`cloneLayer: expected a layer, received ${describe(layer)}.`);
  return layerFromConfig(layer.className, layer.getConfig(), `cloneLayer(${layer.name})`);
}

/**
 * A copy of a sequential model: new layers with the same configurations, names and `trainable`
 * flags, and copies of the weights (training one does not change the other). Not compiled, as
 * Keras's clone_model.
 *
 * @example
 * const copy = cloneModel(model);
 * copy.compile({ optimizer: optimizers.sgd({ learningRate: 1e-3 }), loss: 'binaryCrossentropy' });
 */
export function cloneModel(model: Sequential, args: { name?: string; seed?: number } = {}): Sequential {
  if (!(model instanceof Sequential))
    throw new ValueError(`cloneModel: expected a Sequential model, received ${describe(model)}.`);
  const layers = model.layers.map(cloneLayer);
  const copy = new Sequential([], {
    name: args.name ?? `${model.name}_clone`,
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
  });
  for (const l of layers) copy.add(l);
  if (model.inputShape) {
    if (!copy.inputShape) copy.build(model.inputShape);
    copy.setWeights(model.getWeights());
  }
  return copy;
}
