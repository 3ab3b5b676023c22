import type { RandomCall } from '../../calls/random.js';
import type { Binders } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface RandomKernels {}

export const randomBinders: Binders<RandomCall> = {};
