// The kernel module's exports. Every pointer is a byte offset into the imported linear memory;
// TypeScript's allocator owns that memory above heapBase. No kernel allocates.
//
// Each function exported here is declared, with its arguments, in src/backend/wasm/kernel-table.ts;
// scripts/build-wasm.mjs fails the build when the two disagree (a name or an argument count), so the
// lists below name exports one by one: a helper a file exports for the others stays internal.
export const heapBase: usize = __heap_base;

export { gemmNN, gemmTN, gemmNT, gemmScratchFloats } from './gemm';
export { peakProbe } from './peak';
export { activationForward, activationBackward, softmaxRows, softmaxBackwardRows } from './activations';
export { preluForward, preluBackward } from './prelu';
export { softmaxCrossEntropySparse, softmaxCrossEntropyDense, crossEntropySparseFromProbs, crossEntropyDenseFromProbs } from './losses';
export { sigmoidCrossEntropy, binaryCrossEntropyFromProbs, meanSquaredErrorLoss, meanAbsoluteErrorLoss, huberLoss, hingeLoss } from './losses-elementwise';
export { categoricalHits, binaryCounts, aucHistogram, weightSum } from './metrics';
export { columnSums, countNonFinite, sumPartials } from './reductions';
export { sgdUpdate, momentumUpdate, adagradUpdate, rmspropUpdate, adamUpdate, adamaxUpdate, nadamUpdate, adadeltaUpdate, lionUpdate } from './optimizers';
export { copyF32, zeroBytes, fillF32, addF32 } from './elementwise';
export { regularizerPenalty, activityRegularizer } from './regularization';
export { gradientNormSq } from './norms';
export { randomUniform } from './random';
export { dropoutForward, alphaDropoutForward, dropoutBackward } from './dropout';
export { batchNormTrain, batchNormInference, batchNormBackward } from './normalization';
export { gatherRows } from './gather';
export { unaryF32, binaryF32, whereF32, reduceEachRow, reduceEachColumn, oneHotF32, gemmNTDot } from './primitives';
