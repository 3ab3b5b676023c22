// Sums a run's per-batch figures into epoch figures: the loss as a per-sample mean (data loss plus
// penalty terms), and each metric's accumulators in float64.

import type { Logs } from '../callbacks/callback.js';
import type { Metric } from '../metrics/metric.js';
import type { StepProgram } from './programs.js';

export class EpochAccumulator {
  private lossSum = 0;
  private samples = 0;
  private sums: Float64Array[][] | null = null;

  constructor(private readonly metrics: readonly Metric[]) {}

  /** Adds a finished step's figures; returns the batch's total loss (for divergence checks). */
  add(program: StepProgram): number {
    const graph = program.graph;
    let loss = graph.readScalar(program.lossSum!);
    for (const term of program.lossTerms) loss += program.batch * graph.readScalar(term);
    this.lossSum += loss;
    this.samples += program.batch;
    this.sums ??= program.metrics.map((m) => m.sums.map((t) => new Float64Array(t.size)));
    program.metrics.forEach((m, i) =>
      m.sums.forEach((t, j) => {
        const acc = this.sums![i][j];
        if (t.size === 1) acc[0] += graph.readScalar(t);
        else {
          const values = graph.read(t);
          for (let e = 0; e < values.length; e++) acc[e] += values[e];
        }
      }),
    );
    return loss;
  }

  logs(): Logs {
    const logs: Logs = { loss: this.lossSum / this.samples };
    this.metrics.forEach((m, i) => (logs[m.key] = m.result(this.sums?.[i] ?? [], this.samples)));
    return logs;
  }
}
