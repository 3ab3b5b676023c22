// The kernel module's exports. Every pointer is a byte offset into the imported linear memory;
// TypeScript's allocator owns that memory above heapBase.
export const heapBase: usize = __heap_base;
