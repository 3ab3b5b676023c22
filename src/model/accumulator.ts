// Sums a run's per-batch figures into epoch figures: the loss as a per-sample mean (data loss plus
// penalty terms), and each metric's accumulators in float64.

import type { Logs } from '../callbacks/callback.js';
import type { Metric } from '../metrics/metric.js';
import type { StepProgram } from './programs.js';

export class EpochAccumulator {
  // Fields keep the kind of value they start with: −0 is a double to V8 (0 would be a small
  // integer that the first loss turns into a double), and the accumulators' list exists from the
  // start. Either change of kind rewrote the object's layout after the first step, throwing away the
  // compiled add() and logs() and compiling them again in the middle of a later epoch.
  private lossSum = -0;
  private samples = 0;
  /** Per metric, its accumulators (allocated at the first step, whose program knows their sizes). */
  private readonly sums: Float64Array[][];

  constructor(private readonly metrics: readonly Metric[]) {
    this.sums = metrics.map(() => []);
  }

  /** Adds a finished step's figures; returns the batch's total loss (for divergence checks). */
  add(program: StepProgram): number {
    const graph = program.graph;
    let loss = graph.readScalar(program.lossSum!);
    for (const term of program.lossTerms) loss += program.batch * graph.readScalar(term);
    this.lossSum += loss;
    this.samples += program.batch;
    // Plain loops: this runs after every step, and closures per step gave V8 more to compile.
    for (let i = 0; i < program.metrics.length; i++) {
      const tensors = program.metrics[i].sums;
      const sums = this.sums[i];
      if (sums.length < tensors.length) for (const t of tensors) sums.push(new Float64Array(t.size));
      for (let j = 0; j < tensors.length; j++) {
        const t = tensors[j];
        const acc = sums[j];
        if (t.size === 1) acc[0] += graph.readScalar(t);
        else {
          const values = graph.read(t);
          for (let e = 0; e < values.length; e++) acc[e] += values[e];
        }
      }
    }
    return loss;
  }

  logs(): Logs {
    const logs: Logs = { loss: this.lossSum / this.samples };
    for (const [i, m] of this.metrics.entries()) logs[m.key] = m.result(this.sums[i], this.samples);
    return logs;
  }
}
