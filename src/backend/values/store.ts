// Memory for a backend whose values are whole arrays (tfjs tensors, float64 arrays) rather than
// bytes: each region (a buffer, a program's arena) is a sorted list of segments, each a value
// covering a range of 32-bit words. A read of exactly one segment returns its value as it is; a read
// across segments or gaps (never written: zeros) assembles one. A write replaces whatever it
// overlaps, keeping the parts it does not cover. Programs read and write whole tensors at the
// offsets the memory planner gave them, so nearly every access is the exact-match case.

import type { ValueDType, ValueOps } from './value-ops.js';

interface Segment<T> {
  start: number;
  length: number;
  value: T;
}

export class ValueRegion<T> {
  readonly segments: Segment<T>[] = [];
  constructor(readonly words: number) {}
}

export class ValueStore<T> {
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
    if (s && s.start === start && s.length === n) return { value: s.value, owned: false };
    if (s && s.start <= start && s.start + s.length >= end)
      return { value: this.ops.slice(s.value, start - s.start, n), owned: true };
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
      parts.push(this.ops.slice(seg.value, at - seg.start, to - at));
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
    const kept: Segment<T>[] = [];
    let j = i;
    for (; j < segs.length && segs[j].start < end; j++) {
      const seg = segs[j];
      if (seg.value === value) continue;
      if (seg.start < start)
        kept.push({
          start: seg.start,
          length: start - seg.start,
          value: this.ops.slice(seg.value, 0, start - seg.start),
        });
      const segEnd = seg.start + seg.length;
      if (segEnd > end)
        kept.push({
          start: end,
          length: segEnd - end,
          value: this.ops.slice(seg.value, end - seg.start, segEnd - end),
        });
      this.ops.dispose(seg.value);
    }
    const fresh: Segment<T> = { start, length: n, value };
    const replacement = [...kept.filter((k) => k.start < start), fresh, ...kept.filter((k) => k.start >= end)];
    segs.splice(i, j - i, ...replacement);
  }

  /** Frees every value of a region. */
  clear(region: ValueRegion<T>): void {
    for (const seg of region.segments) this.ops.dispose(seg.value);
    region.segments.length = 0;
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
