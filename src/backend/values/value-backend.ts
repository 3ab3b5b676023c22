// A backend over an array library (ValueOps): buffers and a program's arena are value stores, a
// compiled program is the list of calls it implements (the primitives, plus the fused calls it
// overrides), every other call replaced by its default composition (defaults/expand.ts). Running a
// call reads its operands as values, computes the result in one scope (so that the library frees
// the intermediates) and stores it. The reference backend and the tfjs backend are both this.

import type {
  Backend,
  BufferBinding,
  DeviceBuffer,
  Executable,
  HostScalar,
  KernelCall,
  Program,
  Slice,
} from '../backend.js';
import type { FusedCall, FusedKind } from '../calls/index.js';
import { PRIMITIVE_KINDS, type Operand, type PrimitiveCall } from '../calls/primitive.js';
import { expandProgram } from '../defaults/expand.js';
import { StateError } from '../../errors.js';
import { ValueRegion, ValueStore } from './store.js';
import type { ValueDType, ValueOperand, ValueOps } from './value-ops.js';

class ValueBuffer<T> implements DeviceBuffer {
  disposed = false;
  readonly region: ValueRegion<T>;
  constructor(
    readonly owner: ValueBackend<T>,
    readonly bytes: number,
  ) {
    this.region = new ValueRegion<T>(Math.ceil(bytes / 4));
  }
}

/** How a fused call an array library runs faster than its default reads and writes values. */
export interface ValueIO<T> {
  read(slice: Slice, n: number, dtype?: ValueDType): T;
  /** Stores a value the call computed (a new value, not one `read` returned). */
  write(slice: Slice, value: T): void;
  scalar(value: number | HostScalar): number;
}

/** Fused calls a value backend runs itself instead of through their defaults. */
export type ValueOverrides<T> = { [K in FusedKind]?: (call: Extract<FusedCall, { kind: K }>, io: ValueIO<T>) => void };

const isPrimitive = new Set<string>(PRIMITIVE_KINDS);

export class ValueBackend<T> implements Backend {
  readonly threads = 1;
  protected readonly store: ValueStore<T>;
  /** Where writeRows gathers a batch before uploading it. */
  private staging = new Float32Array(0);

  constructor(
    readonly name: string,
    readonly ops: ValueOps<T>,
    private readonly overrides: ValueOverrides<T> = {},
  ) {
    this.store = new ValueStore(ops);
  }

  get description(): string {
    return `${this.name} (${this.ops.name})`;
  }

  /** Whether this backend runs `kind` itself (primitives always). */
  implements(kind: KernelCall['kind']): boolean {
    return isPrimitive.has(kind) || kind in this.overrides;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  createBuffer(bytes: number): DeviceBuffer {
    return new ValueBuffer<T>(this, bytes);
  }

  upload(data: Float32Array | Int32Array): DeviceBuffer {
    const buffer = this.createBuffer(data.byteLength);
    this.write(buffer, data);
    return buffer;
  }

  uploadCounting(data: Float32Array): { buffer: DeviceBuffer; nonFinite: number } {
    const buffer = this.upload(data);
    return { buffer, nonFinite: this.countNonFinite(buffer, data.length) };
  }

  disposeBuffer(buffer: DeviceBuffer): void {
    const b = this.own(buffer);
    if (b.disposed) return;
    b.disposed = true;
    this.store.clear(b.region);
  }

  write(buffer: DeviceBuffer, data: Float32Array | Int32Array, byteOffset = 0): void {
    const b = this.live(buffer, byteOffset, data.byteLength);
    this.store.write(b.region, byteOffset / 4, this.ops.fromHost(data));
  }

  writeRows(
    buffer: DeviceBuffer,
    source: Float32Array,
    rows: Int32Array,
    start: number,
    count: number,
    rowLength: number,
  ): void {
    // Rows are gathered on the host (whole-row copies) into a staging array kept between batches,
    // and uploaded as one value (fromHost copies it).
    const n = count * rowLength;
    if (this.staging.length < n) this.staging = new Float32Array(n);
    for (let i = 0; i < count; i++) {
      const r = rows[start + i] * rowLength;
      this.staging.set(source.subarray(r, r + rowLength), i * rowLength);
    }
    this.write(buffer, this.staging.subarray(0, n));
  }

  readF32(buffer: DeviceBuffer, byteOffset: number, length: number): Float32Array {
    const host = this.readHost(buffer, byteOffset, length, 'float32');
    return host instanceof Float32Array ? host : Float32Array.from(host);
  }

  readI32(buffer: DeviceBuffer, byteOffset: number, length: number): Int32Array {
    const host = this.readHost(buffer, byteOffset, length, 'int32');
    return host instanceof Int32Array ? host : Int32Array.from(host);
  }

  countNonFinite(buffer: DeviceBuffer, length: number): number {
    if (length === 0) return 0;
    const b = this.live(buffer, 0, length * 4);
    const { value, owned } = this.store.read(b.region, 0, length);
    // x − x is 0 for a finite x and NaN otherwise: count the values where it is not 0.
    const [count] = this.ops.scope(() => {
      const diff = this.ops.binary('sub', { value, shape: 'full' }, { value, shape: 'full' }, 1, length);
      const finite = this.ops.binary('equal', { value: diff, shape: 'full' }, { number: 0 }, 1, length);
      return [this.ops.reduce('sum', 'cols', finite, 1, length)];
    });
    if (owned) this.ops.dispose(value);
    const finite = this.ops.toHost(count)[0];
    this.ops.dispose(count);
    return length - finite;
  }

  readScalar(buffer: DeviceBuffer, byteOffset: number): number {
    return this.readHost(buffer, byteOffset, 1, 'float32')[0];
  }

  gemmScratchBytes(): number {
    return 0;
  }

  compile(program: Program): Executable {
    const expanded = expandProgram(program, (call) => this.implements(call.kind));
    const arena = new ValueRegion<T>(Math.ceil(expanded.arenaBytes / 4));
    const io = this.io(arena);
    const steps = expanded.calls.map((call) => this.step(call, io));
    let disposed = false;
    return {
      run: () => {
        if (disposed) throw new Error('simdnet internal: run of a disposed program');
        for (const step of steps) step();
      },
      dispose: () => {
        if (disposed) return;
        disposed = true;
        this.store.clear(arena);
      },
    };
  }

  /** The calls of `program` as this backend runs them (for tests and inspection). */
  expand(program: Program): Program {
    return expandProgram(program, (call) => this.implements(call.kind));
  }

  private io(arena: ValueRegion<T>): ValueIO<T> & { region(slice: Slice): ValueRegion<T>; owned: T[] } {
    const owned: T[] = [];
    const region = (slice: Slice): ValueRegion<T> =>
      slice.kind === 'arena' ? arena : this.live(slice.buffer, slice.byteOffset, 0).region;
    return {
      owned,
      region,
      read: (slice, n, dtype) => {
        const r = this.store.read(region(slice), slice.byteOffset / 4, n, dtype);
        if (r.owned) owned.push(r.value);
        return r.value;
      },
      write: (slice, value) => this.store.write(region(slice), slice.byteOffset / 4, value),
      scalar: (value) => (typeof value === 'number' ? value : value.value),
    };
  }

  /** One call as a closure: reads, computes in a scope, writes. */
  private step(call: KernelCall, io: ReturnType<ValueBackend<T>['io']>): () => void {
    const override = (this.overrides as Record<string, ((c: KernelCall, io: ValueIO<T>) => void) | undefined>)[
      call.kind
    ];
    if (override) return () => this.scoped(io, () => override(call, io));
    const primitive = call as PrimitiveCall;
    const ops = this.ops;
    const operand = (o: Operand, size: (kind: Operand['kind']) => number): ValueOperand<T> =>
      o.kind === 'constant' ? { number: io.scalar(o.value) } : { value: io.read(o.slice, size(o.kind)), shape: o.kind };
    switch (primitive.kind) {
      case 'unary': {
        const c = primitive;
        return () => this.scoped(io, () => io.write(c.y, ops.unary(c.op, io.read(c.x, c.n))));
      }
      case 'binary':
      case 'where': {
        const c = primitive;
        const size = (kind: Operand['kind']) =>
          kind === 'full' ? c.rows * c.cols : kind === 'row' ? c.cols : kind === 'column' ? c.rows : 1;
        return () =>
          this.scoped(io, () => {
            const a = operand(c.a, size);
            const b = operand(c.b, size);
            io.write(
              c.y,
              c.kind === 'binary'
                ? ops.binary(c.op, a, b, c.rows, c.cols)
                : ops.where(operand(c.cond, size), a, b, c.rows, c.cols),
            );
          });
      }
      case 'reduce': {
        const c = primitive;
        return () =>
          this.scoped(io, () => io.write(c.y, ops.reduce(c.op, c.axis, io.read(c.x, c.rows * c.cols), c.rows, c.cols)));
      }
      case 'matmul': {
        const c = primitive;
        return () =>
          this.scoped(io, () =>
            io.write(c.c, ops.matmul(c.layout, io.read(c.a, c.m * c.k), io.read(c.b, c.k * c.n), c.m, c.n, c.k)),
          );
      }
      case 'oneHot': {
        const c = primitive;
        return () =>
          this.scoped(io, () => io.write(c.y, ops.oneHot(io.read(c.labels, c.rows, 'int32'), c.rows, c.cols)));
      }
      case 'randomUniform': {
        const c = primitive;
        return () => this.scoped(io, () => io.write(c.y, ops.randomUniform(c.n, c.seed.value, c.salt)));
      }
      case 'fill': {
        const c = primitive;
        return () => this.scoped(io, () => io.write(c.y, ops.fill(c.n, io.scalar(c.value))));
      }
      case 'gatherRows': {
        const c = primitive;
        return () =>
          this.scoped(io, () => {
            const source = this.bound(c.source);
            const all = this.store.read(source.region, 0, source.region.words);
            if (all.owned) io.owned.push(all.value);
            io.write(c.out, ops.gatherRows(all.value, io.read(c.rows, c.count, 'int32'), c.count, c.rowLength));
          });
      }
      default: {
        const never: never = primitive;
        throw new Error(
          `simdnet internal: ${(never as KernelCall).kind} is neither a primitive nor overridden by ${this.name}`,
        );
      }
    }
  }

  /**
   * Runs one call's computation in the library's scope. Writes happen inside it: a value stored is
   * kept (the scope returns it), values assembled for reads are freed after.
   */
  private scoped(io: ReturnType<ValueBackend<T>['io']>, body: () => void): void {
    const stored: { slice: Slice; value: T }[] = [];
    const write = io.write;
    io.write = (slice, value) => stored.push({ slice, value });
    try {
      this.ops.scope(() => {
        body();
        return stored.map((s) => s.value);
      });
    } finally {
      io.write = write;
    }
    for (const { slice, value } of stored) write(slice, value);
    for (const v of io.owned) this.ops.dispose(v);
    io.owned.length = 0;
  }

  private bound(binding: BufferBinding): ValueBuffer<T> {
    if (!binding.buffer) throw new Error('simdnet internal: a program ran with an unbound data buffer');
    return this.live(binding.buffer, 0, 0);
  }

  private readHost(
    buffer: DeviceBuffer,
    byteOffset: number,
    length: number,
    dtype: ValueDType,
  ): Float32Array | Int32Array {
    const b = this.live(buffer, byteOffset, length * 4);
    const { value, owned } = this.store.read(b.region, byteOffset / 4, length, dtype);
    const host = this.ops.toHost(value);
    if (owned) this.ops.dispose(value);
    return host;
  }

  private own(buffer: DeviceBuffer): ValueBuffer<T> {
    if (!(buffer instanceof ValueBuffer) || buffer.owner !== this) {
      throw new StateError(
        `these weights live on another backend than ${this.description}; a model moves them by itself at its next ` +
          'fit(), evaluate() or predict() after configureBackend(): use the model through those.',
      );
    }
    return buffer as ValueBuffer<T>;
  }

  private live(buffer: DeviceBuffer, byteOffset: number, bytes: number): ValueBuffer<T> {
    const b = this.own(buffer);
    if (b.disposed) throw new Error('simdnet internal: use of a disposed buffer');
    if (byteOffset < 0 || byteOffset + bytes > b.bytes) {
      throw new RangeError(
        `simdnet internal: access [${byteOffset}, ${byteOffset + bytes}) outside a buffer of ${b.bytes} bytes`,
      );
    }
    return b;
  }
}
