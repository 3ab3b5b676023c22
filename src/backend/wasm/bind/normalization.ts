import type { NormalizationCall } from '../../calls/normalization.js';
import type { Binders } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface NormalizationKernels {}

export const normalizationBinders: Binders<NormalizationCall> = {};
