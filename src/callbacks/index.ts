export { Callback, History, type Logs, type TrainingParams, type TrainingTarget } from './callback.js';
export { ProgressBar, type ProgressOutput } from './progress-bar.js';
