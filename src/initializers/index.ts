export { resolveInitializer, type Initializer, type InitializerName } from './initializer.js';
export { fans } from './fans.js';
export { zeros, ones, constant, type ConstantArgs } from './constant.js';
export { initializerFromConfig } from './from-config.js';
export {
  randomNormal,
  randomUniform,
  truncatedNormal,
  type RandomNormalArgs,
  type RandomUniformArgs,
} from './random.js';
export {
  varianceScaling,
  glorotUniform,
  glorotNormal,
  heUniform,
  heNormal,
  lecunUniform,
  lecunNormal,
  type VarianceScalingArgs,
  type FanMode,
  type VarianceDistribution,
} from './variance-scaling.js';
