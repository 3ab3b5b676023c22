// The one seeded generator behind initializers, shuffling and (later) dropout and augmentation:
// xoshiro128** (32-bit, fast in JavaScript), seeded through splitmix32, with a state that can be saved
// and restored so that a resumed run draws the same numbers.

import { ValueError, describe } from './errors.js';

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A seeded random generator.
 *
 * @example
 * const rng = new Generator(42);
 * rng.uniform();   // the same number for every run seeded 42
 */
export class Generator {
  private s = new Uint32Array(4);
  private spareNormal: number | null = null;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new ValueError(`seed: expected an integer in [0, 4294967295], received ${describe(seed)}.`);
    }
    const next = splitmix32(seed);
    for (let i = 0; i < 4; i++) this.s[i] = next();
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of randomness. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    // Rejection sampling keeps it unbiased. One draw site in a do-while: a second site reached only
    // on a (rare) rejection had no type feedback and deoptimized the shuffle of a running fit.
    const limit = Math.floor(4294967296 / n) * n;
    let x: number;
    do x = this.nextUint32();
    while (x >= limit);
    return x % n;
  }

  /** Shuffles in place (Fisher–Yates). */
  shuffle(values: Int32Array | Uint32Array | number[]): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }

  /** A seed for a child generator, drawn from this one. */
  fork(): Generator {
    return new Generator(this.nextUint32());
  }

  /** The state, to save with a checkpoint. */
  getState(): number[] {
    return [...this.s, this.spareNormal === null ? NaN : this.spareNormal];
  }

  setState(state: readonly number[]): void {
    for (let i = 0; i < 4; i++) this.s[i] = state[i] >>> 0;
    this.spareNormal = Number.isNaN(state[4]) ? null : state[4];
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

let global = new Generator((Math.random() * 4294967296) >>> 0);

/**
 * Seeds the global generator, which models draw their own seeds from. Call it once at the top of a
 * program to make weights, shuffling and everything random reproducible (as Keras's
 * `keras.utils.set_random_seed`).
 *
 * @example
 * setSeed(42);
 */
export function setSeed(seed: number): void {
  global = new Generator(seed);
}

/** The global generator. */
export function globalGenerator(): Generator {
  return global;
}
