// The WASM kernels' counter-based uniform stream (assembly/random.ts) in JavaScript, bit for bit:
// element i's 32 bits are mix(mix(i ^ k1) + k2) with keys from (seed, salt), lowbias32 as the mixer,
// and the uniform is the top 24 bits times 2⁻²⁴.

function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** n uniform values in [0, 1) of the (seed, salt) stream, from element `first` on. */
export function uniformStream(n: number, seed: number, salt: number, first = 0): Float64Array {
  const k1 = mix((seed >>> 0) ^ mix((salt ^ 0x9e3779b9) >>> 0));
  const k2 = mix((k1 ^ 0x85ebca6b) >>> 0);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const bits = mix((mix(((first + i) ^ k1) >>> 0) + k2) >>> 0);
    out[i] = (bits >>> 8) * 5.9604644775390625e-8;
  }
  return out;
}
