// Keras's TerminateOnNaN: end training (without an error) after a batch whose loss is NaN or infinite.
// fit's own divergence error (stopOnNaN) defaults to off when this callback is present, so that this
// callback, and not an exception, decides what happens.

import { Callback, type Logs } from './callback.js';

export class TerminateOnNaN extends Callback {
  /** Where training was ended ({ epoch, batch } counted from 0), or null. */
  terminatedAt: { epoch: number; batch: number } | null = null;
  private epoch = 0;

  constructor(private readonly print: (line: string) => void = console.log) {
    super();
  }

  override onTrainBegin(): void {
    this.terminatedAt = null;
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    const loss = logs.loss;
    if (loss === undefined || Number.isFinite(loss) || !this.model) return;
    this.terminatedAt = { epoch: this.epoch, batch };
    this.model.stopTraining = true;
    if ((this.params?.verbose ?? 0) > 0)
      this.print(`Epoch ${this.epoch + 1}, batch ${batch + 1}: invalid loss ${loss}, terminating training.`);
  }
}

/**
 * Ends training quietly when the loss becomes NaN or infinite (instead of fit's error).
 *
 * @example
 * await model.fit(x, y, { epochs: 10, callbacks: [callbacks.terminateOnNaN()] });
 */
export function terminateOnNaN(): TerminateOnNaN {
  return new TerminateOnNaN();
}
