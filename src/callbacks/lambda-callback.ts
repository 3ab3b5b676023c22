// Keras's LambdaCallback, and tfjs's way of passing hooks as a plain object to fit: a callback made
// of functions. fit wraps a plain `{ onEpochEnd: … }` object in one, so both styles work.

import { ValueError, describe } from '../errors.js';
import { Callback, type Logs } from './callback.js';

type Hook<A extends unknown[]> = (...args: A) => void | Promise<void>;

/** The hooks a LambdaCallback runs; every one is optional and may return a promise, which fit awaits. */
export interface CallbackHooks {
  onTrainBegin?: Hook<[logs: Logs]>;
  onTrainEnd?: Hook<[logs: Logs]>;
  onEpochBegin?: Hook<[epoch: number, logs: Logs]>;
  onEpochEnd?: Hook<[epoch: number, logs: Logs]>;
  onBatchBegin?: Hook<[batch: number, logs: Logs]>;
  onBatchEnd?: Hook<[batch: number, logs: Logs]>;
}

const HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd'] as const;

/** Keras's spellings, so that a ported script gets pointed at the name used here. */
const KERAS_NAMES: Record<string, string> = {
  on_train_begin: 'onTrainBegin',
  on_train_end: 'onTrainEnd',
  on_epoch_begin: 'onEpochBegin',
  on_epoch_end: 'onEpochEnd',
  on_batch_begin: 'onBatchBegin',
  on_batch_end: 'onBatchEnd',
  on_train_batch_begin: 'onBatchBegin',
  on_train_batch_end: 'onBatchEnd',
  onTrainBatchBegin: 'onBatchBegin',
  onTrainBatchEnd: 'onBatchEnd',
};

export class LambdaCallback extends Callback {
  private readonly hooks: CallbackHooks;

  /** @param argName how errors name the hooks object (`callbacks[2]` when fit wraps a plain object). */
  constructor(hooks: CallbackHooks, argName = 'lambdaCallback') {
    super();
    if (typeof hooks !== 'object' || hooks === null || Array.isArray(hooks)) {
      throw new ValueError(
        `${argName}: expected an object of hook functions such as { onEpochEnd: (epoch, logs) => … }, received ` +
          `${describe(hooks)}.`,
      );
    }
    for (const [key, value] of Object.entries(hooks)) {
      if (!(HOOKS as readonly string[]).includes(key)) {
        const hint = KERAS_NAMES[key] ? `use ${KERAS_NAMES[key]}` : `the hooks are ${HOOKS.join(', ')}`;
        throw new ValueError(`${argName}: unknown hook "${key}"; ${hint}.`);
      }
      if (typeof value !== 'function' && value !== undefined) {
        throw new ValueError(`${argName}.${key}: expected a function, received ${describe(value)}.`);
      }
    }
    this.hooks = { ...hooks };
  }

  override onTrainBegin(logs: Logs): void | Promise<void> {
    return this.hooks.onTrainBegin?.(logs);
  }

  override onTrainEnd(logs: Logs): void | Promise<void> {
    return this.hooks.onTrainEnd?.(logs);
  }

  override onEpochBegin(epoch: number, logs: Logs): void | Promise<void> {
    return this.hooks.onEpochBegin?.(epoch, logs);
  }

  override onEpochEnd(epoch: number, logs: Logs): void | Promise<void> {
    return this.hooks.onEpochEnd?.(epoch, logs);
  }

  override onBatchBegin(batch: number, logs: Logs): void | Promise<void> {
    return this.hooks.onBatchBegin?.(batch, logs);
  }

  override onBatchEnd(batch: number, logs: Logs): void | Promise<void> {
    return this.hooks.onBatchEnd?.(batch, logs);
  }
}

/**
 * A callback made of functions (Keras's LambdaCallback). fit also takes the hooks object itself,
 * as tfjs does: `callbacks: [{ onEpochEnd }]`.
 *
 * @example
 * const log = callbacks.lambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) });
 * await model.fit(x, y, { epochs: 5, callbacks: [log] });
 */
export function lambdaCallback(hooks: CallbackHooks): LambdaCallback {
  return new LambdaCallback(hooks);
}
