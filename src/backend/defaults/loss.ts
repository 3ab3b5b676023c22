// Placeholder until this family's defaults land (being written now).
import type { LossCall } from '../calls/loss.js';
import type { Defaults } from './types.js';

export const lossDefaults = {} as Defaults<LossCall>;
