// Types of tfjs-mnist.js (plain JavaScript so that the browser runs it without a build step).

type Simdnet = typeof import('../../src/index.js');
type Tensor = import('../../src/index.js').Tensor;

export interface FashionMnistSubset {
  xTrain: Tensor;
  yTrain: Tensor;
  xValid: Tensor;
  yValid: Tensor;
}

export interface SubsetOptions {
  validation?: number;
  trainSamples?: number;
  validSamples?: number;
}

export interface NotebookRun {
  history: Record<string, number[]>;
  fitSeconds: number;
  backend: string;
}

export function fetchIdx(simdnet: Simdnet, url: string, rank: 1 | 3): Promise<import('../../src/data/idx.js').IdxArray>;
export function loadSubset(simdnet: Simdnet, base: string, options?: SubsetOptions): Promise<FashionMnistSubset>;
export function trainNotebookModel(
  simdnet: Simdnet,
  data: FashionMnistSubset,
  options?: { epochs?: number; batchSize?: number },
): Promise<NotebookRun>;
