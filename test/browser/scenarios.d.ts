// Types of scenarios.js (plain JavaScript so that the browser runs it without a build step).

type Simdnet = typeof import('../../src/index.js');

export interface PlainTensor {
  shape: number[];
  values: number[];
}

export interface TinyRun {
  history: Record<string, number[]>;
  weights: PlainTensor[];
  predictions: PlainTensor;
  backend: { description: string; threads: number | null; flavour: string | null; teamRuns: number };
}

export interface TrainTinyOptions {
  epochs?: number;
  optimizer?: 'adam' | 'sgd';
  seed?: number;
  configure?: Record<string, unknown>;
  features?: number;
  hidden?: number;
  alwaysTeam?: boolean;
}

export function tinyData(samples?: number, features?: number): { x: Float32Array; y: Int32Array };
export function tinyModel(
  simdnet: Simdnet,
  seed?: number,
  features?: number,
  hidden?: number,
): import('../../src/index.js').Sequential;
export function trainTiny(simdnet: Simdnet, options?: TrainTinyOptions): Promise<TinyRun>;
