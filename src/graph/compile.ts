// Compiles a graph into a program: schedules the nodes, decides where every tensor lives (persistent
// buffers for inputs, variables and fetched results; the planned arena for the rest), asks each op
// for its kernel calls, and hands the flat list to the backend. Running it allocates nothing.

import type { Backend, DeviceBuffer, KernelCall, Slice } from '../backend/backend.js';
import { planMemory, type Interval } from './memory-plan.js';
import { topologicalNodes } from './gradients.js';
import { invariant, type EmitContext } from './op.js';
import type { Node, SymbolicTensor } from './tensor.js';

export interface GraphRequest {
  /** Placeholders written before each run. */
  readonly feeds: readonly SymbolicTensor[];
  /** Tensors read after each run. */
  readonly fetches: readonly SymbolicTensor[];
  /** Effect nodes (variable updates), run in this order after everything else. */
  readonly effects?: readonly Node[];
}

function rootOf(t: SymbolicTensor): SymbolicTensor {
  let r = t;
  while (r.node?.op.view) r = r.node.inputs[0];
  return r;
}

function bytesOf(t: SymbolicTensor): number {
  return t.size * 4;
}

export class CompiledGraph {
  private readonly owned: DeviceBuffer[] = [];
  private readonly persistent = new Map<number, DeviceBuffer>();
  private readonly executable;
  /** The kernel calls, in order (for inspection and tests). */
  readonly calls: readonly KernelCall[];
  readonly arenaBytes: number;

  constructor(
    readonly backend: Backend,
    request: GraphRequest,
  ) {
    const effects = request.effects ?? [];
    // Updates go last so that every reader of a variable runs before it changes.
    const body = topologicalNodes([...request.fetches, ...effects.flatMap((e) => e.inputs)]);
    const schedule = [...body, ...effects];

    for (const feed of request.feeds) {
      invariant(feed.source.kind === 'placeholder', 'feeds must be placeholders');
      this.ownBuffer(feed);
    }
    for (const fetch of request.fetches) {
      const root = rootOf(fetch);
      if (root.source.kind === 'variable') this.persistent.set(root.id, root.source.variable.buffer);
      else if (!this.persistent.has(root.id)) this.ownBuffer(root);
    }

    // Liveness of the arena tensors, by storage root.
    const lastUse = new Map<number, number>();
    const firstDef = new Map<number, number>();
    const rootTensor = new Map<number, SymbolicTensor>();
    const used = new Set<number>(request.fetches.map((t) => t.id));
    schedule.forEach((node, i) => {
      for (const input of node.inputs) {
        used.add(input.id);
        const root = rootOf(input);
        lastUse.set(root.id, i);
        if (root.source.kind === 'variable') this.persistent.set(root.id, root.source.variable.buffer);
        else invariant(this.persistent.has(root.id) || root.node, 'a placeholder that is not fed');
      }
      if (!node.op.view) {
        for (const out of node.outputs) {
          firstDef.set(out.id, i);
          rootTensor.set(out.id, out);
        }
      }
    });
    const isUsed = (t: SymbolicTensor) => used.has(t.id);
    const intervals: Interval[] = [];
    for (const [id, start] of firstDef) {
      const t = rootTensor.get(id)!;
      if (this.persistent.has(id) || !isUsed(t)) continue;
      intervals.push({ key: id, bytes: bytesOf(t), start, end: Math.max(start, lastUse.get(id) ?? start) });
    }
    // Scratch lives during its node only; keys below zero cannot clash with tensor ids.
    schedule.forEach((node, i) => {
      const bytes = node.op.scratchBytes?.(node, backend) ?? 0;
      if (bytes > 0) intervals.push({ key: -node.id, bytes, start: i, end: i });
    });
    const plan = planMemory(intervals);
    this.arenaBytes = plan.arenaBytes;

    const slice = (t: SymbolicTensor): Slice => {
      const root = rootOf(t);
      const buffer = this.persistent.get(root.id);
      if (buffer) return { kind: 'buffer', buffer, byteOffset: 0 };
      const offset = plan.offsets.get(root.id);
      invariant(offset !== undefined, `tensor ${t.id} has no storage`);
      return { kind: 'arena', byteOffset: offset };
    };
    const calls: KernelCall[] = [];
    for (const node of schedule) {
      const scratchOffset = plan.offsets.get(-node.id);
      const ctx: EmitContext = {
        backend,
        slice,
        isUsed,
        scratch: () => (scratchOffset === undefined ? null : { kind: 'arena', byteOffset: scratchOffset }),
      };
      calls.push(...node.op.emit(ctx, node));
    }
    this.calls = calls;
    this.executable = backend.compile({ arenaBytes: plan.arenaBytes, calls });
  }

  private ownBuffer(t: SymbolicTensor): void {
    const buffer = this.backend.createBuffer(bytesOf(t));
    this.owned.push(buffer);
    this.persistent.set(t.id, buffer);
  }

  /** Runs every kernel call once. */
  run(): void {
    this.executable.run();
  }

  /** The persistent buffer of a feed or fetch. */
  bufferOf(t: SymbolicTensor): DeviceBuffer {
    const buffer = this.persistent.get(rootOf(t).id);
    invariant(buffer, `tensor ${t.id} is neither fed nor fetched`);
    return buffer;
  }

  write(feed: SymbolicTensor, data: Float32Array | Int32Array, byteOffset = 0): void {
    this.backend.write(this.bufferOf(feed), data, byteOffset);
  }

  /** Writes rows `rows[start … start+count)` of `source` (rows of `rowLength` floats) as the feed's first rows. */
  writeRows(
    feed: SymbolicTensor,
    source: Float32Array,
    rows: Int32Array,
    start: number,
    count: number,
    rowLength: number,
  ): void {
    this.backend.writeRows(this.bufferOf(feed), source, rows, start, count, rowLength);
  }

  read(fetch: SymbolicTensor): Float32Array | Int32Array {
    const buffer = this.bufferOf(fetch);
    return fetch.dtype === 'int32'
      ? this.backend.readI32(buffer, 0, fetch.size)
      : this.backend.readF32(buffer, 0, fetch.size);
  }

  /** How many values of a fed or fetched float32 tensor are NaN or ±Infinity. */
  countNonFinite(t: SymbolicTensor): number {
    return this.backend.countNonFinite(this.bufferOf(t), t.size);
  }

  /** The first value of a fetched float32 tensor (a summed loss, a count). */
  readScalar(fetch: SymbolicTensor): number {
    return this.backend.readScalar(this.bufferOf(fetch), 0);
  }

  dispose(): void {
    this.executable.dispose();
    for (const b of this.owned) this.backend.disposeBuffer(b);
    this.owned.length = 0;
  }
}
