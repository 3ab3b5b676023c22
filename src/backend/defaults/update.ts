// Placeholder until this family's defaults land (being written now).
import type { UpdateCall } from '../calls/update.js';
import type { Defaults } from './types.js';

export const updateDefaults = {} as Defaults<UpdateCall>;
