// Learning-rate schedules: η as a function of the optimizer's step, usable wherever a learning rate is.

export { LearningRateSchedule, FunctionSchedule, type ScheduleConfigValue } from './schedule.js';
export { exponentialDecay, ExponentialDecay, type ExponentialDecayArgs } from './exponential-decay.js';
export { inverseTimeDecay, InverseTimeDecay, type InverseTimeDecayArgs } from './inverse-time-decay.js';
export { powerDecay, PowerDecay, type PowerDecayArgs } from './power-decay.js';
export {
  piecewiseConstantDecay,
  PiecewiseConstantDecay,
  type PiecewiseConstantDecayArgs,
} from './piecewise-constant-decay.js';
export { polynomialDecay, PolynomialDecay, type PolynomialDecayArgs } from './polynomial-decay.js';
export { cosineDecay, CosineDecay, type CosineDecayArgs } from './cosine-decay.js';
