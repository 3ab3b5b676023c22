// From what amount of work a kernel call is worth splitting over threads. Below it, the call runs
// whole on thread 0 while the others skip it: a split costs at least one barrier (a round trip of
// ~1 µs between spinning threads) and halves the work.
//
// Measured by `npx tsx bench/split-threshold.ts` (2 vCPU AMD EPYC, Node 20, relaxed SIMD, idle
// machine, 2026-11-26, after the update kernels lost their ~5× transform overhead): the same call
// whole on one thread vs split over two, median µs.
//   light  sgdUpdate 8192: 1.00 → 1.01 (0.99×), 16384: 2.02 → 1.61 (1.26×), 32768: 3.74 → 2.41 (1.55×);
//          relu 8192: 0.95 → 0.93 (1.02×), 16384: 1.86 → 1.46 (1.28×)
//   heavy  adamUpdate 2048: 1.13 → 1.29 (0.88×), 4096: 1.85 → 1.52 (1.22×);
//          sigmoid 2048: 1.87 → 1.41 (1.33×), 4096: 3.72 → 2.31 (1.61×)
//   gemm   16×32×64 (32,768 madds): 1.04 → 1.00 (1.05×), 32×32×64 (65,536): 2.06 → 1.49 (1.38×)
//   losses (split into partial sums, then one thread adds them; 2026-11-26, after that split landed):
//          heavy: softmax cross-entropy [128, 10] (1,280 elements): 3.19 → 2.80 (1.14×),
//                 [256, 10]: 6.20 → 3.87 (1.60×), [512, 10]: 12.32 → 7.43 (1.66×);
//          light: mean squared error [512, 10]: 1.22 → 1.26 (0.97×), [1024, 10]: 2.47 → 1.93 (1.28×),
//                 [2048, 10]: 4.77 → 3.09 (1.54×)

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
  light: 16_384,
  heavy: 4_096,
  gemm: 32_768,
};
