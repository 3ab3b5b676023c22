// Keras's progress display: `Epoch 1/10` then `313/313 [=====…] - 2s 5ms/step - loss: 0.71 - …`.
// verbose 1 redraws one line per batch on a terminal (at most every 50 ms) and prints the finished line
// elsewhere; verbose 2 prints one line per epoch.

import { Callback, type Logs } from './callback.js';

/** Where progress lines go: a terminal-like stream, or a line printer (browsers, tests). */
export interface ProgressOutput {
  /** Whether carriage-return redraws work (a TTY). */
  readonly interactive: boolean;
  write(text: string): void;
}

export function defaultOutput(): ProgressOutput {
  if (typeof process !== 'undefined' && process.stdout && typeof process.stdout.write === 'function') {
    return { interactive: Boolean(process.stdout.isTTY), write: (text) => void process.stdout.write(text) };
  }
  let line = '';
  return {
    interactive: false,
    write: (text) => {
      line += text;
      const parts = line.split('\n');
      line = parts.pop() ?? '';
      for (const p of parts) console.log(p);
    },
  };
}

const WIDTH = 30;

export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(([k, v]) => ` - ${k}: ${formatNumber(v)}`)
    .join('');
}

function formatNumber(v: number): string {
  if (v !== 0 && (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3)) return v.toExponential(4);
  return v.toFixed(4);
}

function formatDuration(seconds: number): string {
  if (seconds >= 3600)
    return (
      `${Math.floor(seconds / 3600)}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}:` +
      `${String(Math.floor(seconds % 60)).padStart(2, '0')}`
    );
  if (seconds >= 60) return `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  return `${Math.round(seconds)}s`;
}

function perStep(seconds: number, steps: number): string {
  const per = seconds / Math.max(steps, 1);
  if (per >= 1) return `${per.toFixed(0)}s/step`;
  if (per >= 1e-3) return `${Math.round(per * 1e3)}ms/step`;
  return `${Math.round(per * 1e6)}us/step`;
}

export class ProgressBar extends Callback {
  private start = 0;
  private lastDraw = 0;
  private readonly output: ProgressOutput;

  constructor(
    private readonly verbose: 1 | 2,
    output?: ProgressOutput,
  ) {
    super();
    this.output = output ?? defaultOutput();
  }

  override onEpochBegin(epoch: number): void {
    const epochs = this.params?.epochs ?? 0;
    if (this.verbose === 1) this.output.write(`Epoch ${epoch + 1}/${epochs}\n`);
    this.start = now();
    this.lastDraw = 0;
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    if (this.verbose !== 1 || !this.output.interactive) return;
    const t = now();
    const steps = this.params?.steps ?? 0;
    if (batch + 1 < steps && t - this.lastDraw < 50) return;
    this.lastDraw = t;
    const done = batch + 1;
    const elapsed = (t - this.start) / 1000;
    const eta = (elapsed / done) * (steps - done);
    const count = `${String(done).padStart(String(steps).length)}/${steps}`;
    this.output.write(`\r${count} ${bar(done, steps)} - ETA: ${formatDuration(eta)}${formatLogs(logs)}\x1b[K`);
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const steps = this.params?.steps ?? 0;
    const elapsed = (now() - this.start) / 1000;
    const timing = `${formatDuration(elapsed)} ${perStep(elapsed, steps)}`;
    if (this.verbose === 1) {
      const prefix = this.output.interactive ? '\r' : '';
      this.output.write(
        `${prefix}${steps}/${steps} ${bar(steps, steps)} - ` +
          `${timing}${formatLogs(logs)}${this.output.interactive ? '\x1b[K' : ''}\n`,
      );
    } else {
      this.output.write(
        `Epoch ${epoch + 1}/${this.params?.epochs ?? 0} - ${steps}/${steps} - ${timing}${formatLogs(logs)}\n`,
      );
    }
  }
}

function bar(done: number, total: number): string {
  const filled = total > 0 ? Math.floor((WIDTH * done) / total) : WIDTH;
  if (filled >= WIDTH) return `[${'='.repeat(WIDTH)}]`;
  return `[${'='.repeat(Math.max(filled - 1, 0))}>${'.'.repeat(WIDTH - Math.max(filled, 1))}]`;
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
