// From what amount of work a kernel call is worth splitting over threads. Below it, the call runs
// whole on thread 0 while the others skip it: a split costs at least one barrier (a round trip of
// ~1 µs between spinning threads) and halves the work.
//
// Measured by `npx tsx bench/split-threshold.ts` (2 vCPU AMD EPYC, Node 20, relaxed SIMD, idle
// machine, 2026-11-26): the same call whole on one thread vs split over two, median µs.
//   light  sgdUpdate 2048: 1.38 → 1.43 (0.96×), 4096: 2.76 → 2.07 (1.34×), 8192: 5.21 → 3.23 (1.61×);
//          relu 4096: 0.53 → 0.63 (0.85×), 8192: 1.02 → 0.96 (1.06×), 16384: 2.03 → 1.71 (1.19×)
//   heavy  adamUpdate 2048: 2.86 → 3.12 (0.92×), 4096: 5.90 → 4.36 (1.35×);
//          sigmoid 2048: 2.06 → 1.61 (1.28×), 4096: 4.05 → 2.57 (1.58×)
//   gemm   16×32×64 (32,768 madds): 1.14 → 1.07 (1.07×), 32×32×64 (65,536): 2.24 → 1.71 (1.31×)

/** Cost classes of kernels, each with its own threshold. */
export type WorkClass =
  /** One pass of simple arithmetic per element (copy, add, relu, dropout masks, SGD). */
  | 'light'
  /** A transcendental or a division per element (sigmoid, tanh, gelu, Adam and friends). */
  | 'heavy'
  /** Matrix products, in multiply-adds (m·n·k). */
  | 'gemm';

/** Work (elements, or multiply-adds for 'gemm') from which a call splits: where the split first wins. */
export const THRESHOLDS: Record<WorkClass, number> = {
  light: 8_192,
  heavy: 4_096,
  gemm: 32_768,
};
