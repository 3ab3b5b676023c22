// Types of tfjs-webgl.js (plain JavaScript so that the browser runs it without a build step).

type Simdnet = typeof import('../../src/index.js');

export interface TfMemory {
  numTensors: number;
  numBytes: number;
  numBytesInGPU: number;
}

export interface SetupInfo {
  /** simdnet's backend description, "tfjs (webgl)". */
  simdnetBackend: string;
  tfBackend: string;
  tfVersion: string;
  webglVersion: number;
  float32: boolean;
  /** The WebGL renderer string (SwiftShader under --use-angle=swiftshader). */
  renderer: string;
  memory: TfMemory;
}

export interface EpochRun {
  /** samples/s */
  rate: number;
  seconds: number;
  loss: number;
  /** tfjs's memory after the epoch (numTensors growth = a leak). */
  memory: TfMemory;
}

export function syntheticData(samples: number): { x: Float32Array; y: Int32Array };
/** `samples`: the most samples any prepare() asks for. */
export function setup(simdnet: Simdnet, tf: unknown, options: { samples: number }): Promise<SetupInfo>;
export function prepare(
  batchSize: number,
  samples: number,
): Promise<{ tfjsWarmup: EpochRun; simdnetWarmup: EpochRun; memory: TfMemory }>;
export function simdnetEpoch(): Promise<EpochRun>;
export function tfjsEpoch(): Promise<EpochRun>;
export function dispose(): TfMemory;
/** Seconds: one upload of `samples` samples as a texture (what simdnet's fit adds per call). */
export function uploadProbe(samples: number, repeats?: number): number;
