// The kernel module's exports. Every pointer is a byte offset into the imported linear memory;
// TypeScript's allocator owns that memory above heapBase. No kernel allocates.
export const heapBase: usize = __heap_base;

export * from './gemm';
export * from './peak';
export * from './activations';
export * from './losses';
export * from './losses-elementwise';
export * from './metrics';
export * from './reductions';
export * from './optimizers';
export * from './elementwise';
export * from './regularization';
export { randomUniform } from './random';
export * from './dropout';
export * from './normalization';
export * from './prelu';
export * from './norms';
export * from './gather';
export * from './primitives';
