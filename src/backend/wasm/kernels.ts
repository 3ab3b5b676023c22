// The kernel module's exports with their exact signatures (see assembly/index.ts). Pointers are byte
// offsets into the linear memory; activation codes follow ACTIVATION_CODES.

import type { KernelActivation } from '../backend.js';

export const ACTIVATION_CODES: Record<KernelActivation, number> = { linear: 0, relu: 1, sigmoid: 2, tanh: 3 };
export const GEMM_LAYOUT_CODES = { nn: 0, tn: 1, nt: 2 } as const;

type Ptr = number;

export interface KernelFunctions {
  heapBase: WebAssembly.Global;
  gemmNN(m: number, n: number, k: number, a: Ptr, lda: number, b: Ptr, ldb: number, c: Ptr, ldc: number, bias: Ptr, act: number, accumulate: number): void;
  gemmTN(m: number, n: number, k: number, a: Ptr, lda: number, b: Ptr, ldb: number, c: Ptr, ldc: number, accumulate: number, pack: Ptr): void;
  gemmNT(m: number, n: number, k: number, a: Ptr, lda: number, b: Ptr, ldb: number, c: Ptr, ldc: number, accumulate: number, pack: Ptr): void;
  gemmScratchFloats(m: number, n: number, k: number, layout: number): number;
  peakProbe(iterations: number): number;
  activationForward(act: number, x: Ptr, y: Ptr, n: number): void;
  activationBackward(act: number, y: Ptr, dy: Ptr, dx: Ptr, n: number): void;
  softmaxRows(x: Ptr, y: Ptr, rows: number, cols: number): void;
  softmaxBackwardRows(y: Ptr, dy: Ptr, dx: Ptr, rows: number, cols: number): void;
  softmaxCrossEntropySparse(logits: Ptr, labels: Ptr, rows: number, cols: number, grad: Ptr, gradScale: number, lossOut: Ptr): void;
  softmaxCrossEntropyDense(logits: Ptr, targets: Ptr, rows: number, cols: number, grad: Ptr, gradScale: number, lossOut: Ptr): void;
  crossEntropySparseFromProbs(probs: Ptr, labels: Ptr, rows: number, cols: number, grad: Ptr, gradScale: number, lossOut: Ptr): void;
  crossEntropyDenseFromProbs(probs: Ptr, targets: Ptr, rows: number, cols: number, grad: Ptr, gradScale: number, lossOut: Ptr): void;
  columnSums(rows: number, cols: number, x: Ptr, ldx: number, out: Ptr, accumulate: number): void;
  accuracySparse(scores: Ptr, labels: Ptr, rows: number, cols: number, out: Ptr): void;
  accuracyDense(scores: Ptr, targets: Ptr, rows: number, cols: number, out: Ptr): void;
  argmaxRows(x: Ptr, rows: number, cols: number, out: Ptr): void;
  countNonFinite(x: Ptr, n: number): number;
  sgdUpdate(w: Ptr, g: Ptr, n: number, learningRate: number): void;
  copyF32(src: Ptr, dst: Ptr, n: number): void;
  fillF32(dst: Ptr, n: number, value: number): void;
  scaleF32(x: Ptr, y: Ptr, n: number, s: number): void;
  addF32(a: Ptr, b: Ptr, y: Ptr, n: number): void;
}
