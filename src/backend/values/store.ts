// Memory for a backend whose values are whole arrays (tfjs tensors, float64 arrays) rather than
// bytes: each region (a buffer, a program's arena) is a sorted list of segments, each a view of a
// value covering a range of 32-bit words. A read of exactly one segment that views a whole value
// returns that value as it is; any other read (part of a value, across segments or gaps, never
// written: zeros) assembles one. A write replaces whatever it overlaps, keeping the parts it does not
// cover as views of the values they belong to: nothing is copied until a read asks for such a part.
// Programs read and write whole tensors at the offsets the memory planner gave them, so nearly every
// access is the exact-match case; the kept parts are mostly the tails of dead values a smaller one
// overwrote where the planner reuses arena space, and are never read (copying them at every write
// was ~1M floats per training step of a 784-300-100-10 MLP).
//
// Values keep whatever shape their op made them in: the store counts them by size (elements) and
// leaves the flattening of parts to the ops' slice and concat.

import type { ValueDType, ValueOps } from './value-ops.js';

interface Segment<T> {
  start: number;
  length: number;
  value: T;
  /** Where in `value` (elements) the segment's first word is. */
  offset: number;
}

export class ValueRegion<T> {
  readonly segments: Segment<T>[] = [];
  constructor(readonly words: number) {}
}

export class ValueStore<T> {
  /** How many segments view each value; a value is disposed when none does. */
  private readonly views = new Map<T, number>();

  constructor(private readonly ops: ValueOps<T>) {}

  /**
   * Words [start, start + n) of a region. `owned` is false when the value is the stored one (the
   * caller must not dispose it), true when it was assembled for this read.
   */
  read(region: ValueRegion<T>, start: number, n: number, dtype: ValueDType = 'float32'): { value: T; owned: boolean } {
    const end = start + n;
    const segs = region.segments;
    const first = this.firstEndingAfter(segs, start);
    const s = segs[first];
    if (s && s.start === start && s.length === n && s.offset === 0 && this.ops.size(s.value) === n)
      return { value: s.value, owned: false };
    if (s && s.start <= start && s.start + s.length >= end)
      return { value: this.ops.slice(s.value, s.offset + start - s.start, n), owned: true };
    // Pieces and gaps, in order.
    const parts: T[] = [];
    let at = start;
    for (let i = first; i < segs.length && segs[i].start < end; i++) {
      const seg = segs[i];
      if (seg.start > at) {
        parts.push(this.ops.zeros(seg.start - at, this.ops.dtype(seg.value)));
        at = seg.start;
      }
      const to = Math.min(end, seg.start + seg.length);
      parts.push(this.ops.slice(seg.value, seg.offset + at - seg.start, to - at));
      at = to;
    }
    if (at < end) parts.push(this.ops.zeros(end - at, parts.length ? this.ops.dtype(parts[0]) : dtype));
    if (parts.length === 1) return { value: parts[0], owned: true };
    const value = this.ops.concat(parts);
    for (const p of parts) this.ops.dispose(p);
    return { value, owned: true };
  }

  /** Stores `value` (which the store now owns) at word `start`, replacing what it overlaps. */
  write(region: ValueRegion<T>, start: number, value: T): void {
    const n = this.ops.size(value);
    const end = start + n;
    const segs = region.segments;
    const i = this.firstEndingAfter(segs, start);
    const fresh: Segment<T> = { start, length: n, value, offset: 0 };
    this.retain(value);
    const before: Segment<T>[] = [];
    const after: Segment<T>[] = [];
    let j = i;
    for (; j < segs.length && segs[j].start < end; j++) {
      const seg = segs[j];
      if (seg.start < start) {
        before.push({ start: seg.start, length: start - seg.start, value: seg.value, offset: seg.offset });
        this.retain(seg.value);
      }
      const segEnd = seg.start + seg.length;
      if (segEnd > end) {
        after.push({ start: end, length: segEnd - end, value: seg.value, offset: seg.offset + end - seg.start });
        this.retain(seg.value);
      }
      this.release(seg.value);
    }
    segs.splice(i, j - i, ...before, fresh, ...after);
  }

  /** Frees every value of a region. */
  clear(region: ValueRegion<T>): void {
    for (const seg of region.segments) this.release(seg.value);
    region.segments.length = 0;
  }

  private retain(value: T): void {
    this.views.set(value, (this.views.get(value) ?? 0) + 1);
  }

  private release(value: T): void {
    const views = (this.views.get(value) ?? 1) - 1;
    if (views > 0) {
      this.views.set(value, views);
      return;
    }
    this.views.delete(value);
    this.ops.dispose(value);
  }

  /** Index of the first segment whose end is after `word` (binary search). */
  private firstEndingAfter(segs: readonly Segment<T>[], word: number): number {
    let lo = 0;
    let hi = segs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid].start + segs[mid].length <= word) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
