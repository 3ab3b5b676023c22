export { Callback, History, type Logs, type TrainingParams, type TrainingTarget } from './callback.js';
export { ProgressBar, type ProgressOutput } from './progress-bar.js';
export { earlyStopping, EarlyStopping, type EarlyStoppingArgs } from './early-stopping.js';
export { reduceLROnPlateau, ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr-on-plateau.js';
export { learningRateScheduler, LearningRateScheduler, type EpochSchedule } from './learning-rate-scheduler.js';
export { terminateOnNaN, TerminateOnNaN } from './terminate-on-nan.js';
export { csvLogger, CsvLogger, type CsvLoggerArgs } from './csv-logger.js';
export type { MonitorMode } from './monitor.js';
