// Types of tfjs-scenarios.js (plain JavaScript so that the browser runs it without a build step).

import type { Backend } from '../../src/backend/backend.js';

export function values(n: number, seed: number, lo?: number, hi?: number): Float32Array;
/** Each one-call program's output values, by case name. */
export function programCases(backend: Backend): Record<string, number[]>;
/** Losses per step and the final weights of a hand-compiled training step run `steps` times. */
export function trainSteps(backend: Backend, steps?: number): { losses: number[]; weights: number[][] };
