/** Base class of every error simdnet throws on purpose: catch this to tell them from bugs. */
export class SimdnetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An argument has the wrong type, value or range (`batchSize`, a learning rate, a layer option). */
export class ValueError extends SimdnetError {}

/** Data whose shape does not fit where it is used (a model input, labels against features). */
export class ShapeError extends SimdnetError {}

/** A file or data set that is missing, truncated or corrupt. */
export class DataError extends SimdnetError {}

/** A method called in the wrong state (`fit` before `compile`). */
export class StateError extends SimdnetError {}

/** Formats a received value for an error message: short, with its type. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value))
    return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  if (typeof value === 'function') return 'a function';
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

/** A worker thread failed or could not start; the engine starts fresh ones on the next `fit`. */
export class WorkerError extends SimdnetError {}
