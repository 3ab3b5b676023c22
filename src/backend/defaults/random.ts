// Placeholder until this family's defaults land (being written now).
import type { RandomCall } from '../calls/random.js';
import type { Defaults } from './types.js';

export const randomDefaults = {} as Defaults<RandomCall>;
