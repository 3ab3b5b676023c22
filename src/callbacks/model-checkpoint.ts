// ModelCheckpoint: saves the model (weights, optimizer state, epoch, generator state) at the end of
// epochs, every epoch or only when the monitored figure improves, so that a run can resume from
// the last or the best epoch with loadModel and fit({ initialEpoch: model.epoch }).

import { StateError, ValueError, describe } from '../errors.js';
import { Callback, type Logs } from './callback.js';
import { checkMode, checkMonitor, directionOf, monitorValue, optionsObject, type MonitorMode } from './monitor.js';

export interface ModelCheckpointArgs {
  /**
   * Where to save: a URL or path as `model.save` takes it; `{epoch}` is replaced by the epoch number
   * (1-based, as Keras formats it) and `{<figure>}` by a logged figure (`{valLoss}`).
   */
  filepath: string;
  /** The figure compared for saveBestOnly (default 'valLoss'). */
  monitor?: string;
  /** Save only when the monitored figure improves on the best so far (default false). */
  saveBestOnly?: boolean;
  /** Whether larger or smaller is better (default 'auto': from the name). */
  mode?: MonitorMode;
  /** When to save: 'epoch' (the only frequency for now). */
  saveFreq?: 'epoch';
}

/** What the callback needs of the model it saves. */
interface Savable {
  save(destination: string, args: { epoch: number }): Promise<void>;
}

export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly mode: 'min' | 'max';
  private best: number;

  constructor(args: ModelCheckpointArgs) {
    const a = optionsObject(args, 'modelCheckpoint', "{ filepath: 'file://./checkpoints/epoch-{epoch}' }");
    super();
    if (typeof a.filepath !== 'string' || a.filepath.length === 0) {
      throw new ValueError(
        `modelCheckpoint: filepath: expected where to save, such as 'file://./checkpoint', received ` +
          `${describe(a.filepath)}.`,
      );
    }
    if (a.saveFreq !== undefined && a.saveFreq !== 'epoch')
      throw new ValueError(`modelCheckpoint: saveFreq: only 'epoch' is supported, received ${describe(a.saveFreq)}.`);
    if (a.saveBestOnly !== undefined && typeof a.saveBestOnly !== 'boolean')
      throw new ValueError(
        `modelCheckpoint: saveBestOnly: expected true or false, received ${describe(a.saveBestOnly)}.`,
      );
    this.filepath = a.filepath;
    this.monitor = checkMonitor(a.monitor, 'modelCheckpoint', 'valLoss');
    this.saveBestOnly = a.saveBestOnly ?? false;
    this.mode = directionOf(this.monitor, checkMode(a.mode, 'modelCheckpoint'));
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** The path of an epoch's save (`epoch` 0-based, written 1-based). */
  pathFor(epoch: number, logs: Logs): string {
    return this.filepath.replace(/\{(\w+)\}/g, (whole, key: string) =>
      key === 'epoch' ? String(epoch + 1) : typeof logs[key] === 'number' ? String(logs[key]) : whole,
    );
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (this.saveBestOnly) {
      const value = monitorValue(logs, this.monitor, 'modelCheckpoint');
      const better = this.mode === 'min' ? value < this.best : value > this.best;
      if (!better) return;
      this.best = value;
    }
    const model = this.model as unknown as Partial<Savable> | null;
    if (!model || typeof model.save !== 'function')
      throw new StateError('modelCheckpoint: the model being trained cannot be saved (it has no save method).');
    await model.save(this.pathFor(epoch, logs), { epoch: epoch + 1 });
  }
}

/**
 * Saves the model at the end of every epoch, or only of those that improve `monitor`.
 *
 * @example
 * await model.fit(x, y, { epochs: 20, validationData: [xv, yv],
 *   callbacks: [callbacks.modelCheckpoint({ filepath: 'file://./best', monitor: 'valLoss', saveBestOnly: true })] });
 * const best = await loadModel('file://./best');
 */
export function modelCheckpoint(args: ModelCheckpointArgs): ModelCheckpoint {
  return new ModelCheckpoint(args);
}
