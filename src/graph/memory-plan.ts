// Liveness-based memory planning for a program's intermediate tensors. Each tensor gets a byte range
// of one arena, live from the node that writes it to the last node that reads it; ranges of tensors
// whose lives do not overlap share bytes. Best fit over a sorted free list; 64-byte alignment.

const ALIGN = 64;

export interface Interval {
  readonly key: number;
  readonly bytes: number;
  /** Index of the node that writes it. */
  readonly start: number;
  /** Index of the last node that reads it (>= start). */
  readonly end: number;
}

export interface MemoryPlan {
  readonly offsets: ReadonlyMap<number, number>;
  readonly arenaBytes: number;
}

/** Assigns offsets so that no two intervals live at the same node overlap in bytes. */
export function planMemory(intervals: readonly Interval[]): MemoryPlan {
  const byStart = [...intervals].sort((a, b) => a.start - b.start || b.bytes - a.bytes);
  const offsets = new Map<number, number>();
  const free: { start: number; end: number }[] = [];
  let arenaEnd = 0;
  const live: { end: number; offset: number; size: number }[] = [];

  const release = (offset: number, size: number) => {
    let i = 0;
    while (i < free.length && free[i].start < offset) i++;
    free.splice(i, 0, { start: offset, end: offset + size });
    // Coalesce with neighbours.
    if (i + 1 < free.length && free[i].end === free[i + 1].start) {
      free[i].end = free[i + 1].end;
      free.splice(i + 1, 1);
    }
    if (i > 0 && free[i - 1].end === free[i].start) {
      free[i - 1].end = free[i].end;
      free.splice(i, 1);
    }
  };

  for (const interval of byStart) {
    // Free everything whose last reader ran before this interval's writer.
    for (let j = live.length - 1; j >= 0; j--) {
      if (live[j].end < interval.start) {
        release(live[j].offset, live[j].size);
        live.splice(j, 1);
      }
    }
    const size = Math.ceil(Math.max(interval.bytes, 1) / ALIGN) * ALIGN;
    let best = -1;
    for (let j = 0; j < free.length; j++) {
      const room = free[j].end - free[j].start;
      if (room >= size && (best < 0 || room < free[best].end - free[best].start)) best = j;
    }
    let offset: number;
    if (best >= 0) {
      offset = free[best].start;
      free[best].start += size;
      if (free[best].start === free[best].end) free.splice(best, 1);
    } else if (free.length && free[free.length - 1].end === arenaEnd) {
      // Extend the free block at the top of the arena rather than leave it unused.
      const last = free.pop()!;
      offset = last.start;
      arenaEnd = offset + size;
    } else {
      offset = arenaEnd;
      arenaEnd += size;
    }
    offsets.set(interval.key, offset);
    live.push({ end: interval.end, offset, size });
  }
  return { offsets, arenaBytes: arenaEnd };
}
