// Row gather: a shuffled batch taken from a data set held in the linear memory.

/**
 * out[i, :] = source[rows[i], :] for i < count, rows of rowBytes bytes (32-bit values of any type:
 * features, one-hot targets, int32 labels, sample weights).
 * Loop: one memory.copy per row. Split by rows, each thread copies a contiguous range of out's rows.
 * The row indices come from the training loop (a permutation of the data set's rows), never the user.
 */
export function gatherRows(source: usize, rows: usize, count: i32, rowBytes: i32, out: usize): void {
  const bytes = <usize>rowBytes;
  for (let i = 0; i < count; i++) {
    const r = <usize>load<i32>(rows + (<usize>i << 2));
    memory.copy(out + <usize>i * bytes, source + r * bytes, bytes);
  }
}
