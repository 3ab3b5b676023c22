// The control block every thread of a team shares: 512 bytes of the WebAssembly memory, where the
// main thread posts commands and all threads meet at barriers. Words that different threads write
// sit on different 64-byte lines so that a barrier's counter does not bounce the command line.
//
//   line 0  SEQ (bumped once per command), CMD, ARG0..ARG2, REST, BEAT, KEEP_US
//                                                               written by the main thread
//   line 1  COUNT (arrivals at the current barrier), GEN (barrier generation)
//   line 2  FAULT (1 + the index of the first thread that failed), FAULT_LEN, ATTACHED
//   bytes 256..511  the failing thread's message, UTF-8
//
// Waiting: spin first, for up to SPIN_MS, since a partner usually arrives within microseconds (a
// round trip through a spinning partner costs ~0.3 µs here, through Atomics.wait 4–12 µs and, on
// these VMs, measured up to ~40 µs per barrier when both sides had gone to sleep), then block in
// Atomics.wait where the thread may (workers; Node's main thread), in slices so that a fault is
// noticed. Spinning costs a core only while a program runs or just after; when another process
// needs that core, the backend measures the team slower and runs programs on one thread instead
// (wasm-backend.ts), so the workers sleep.

export const CONTROL_BYTES = 512;
export const SEQ = 0;
export const CMD = 1;
export const ARG0 = 2;
export const ARG1 = 3;
export const ARG2 = 4;
/** Non-zero: idle workers stop polling and block (the main thread runs alone); every post clears it. */
export const REST = 5;
/** Bumped by the main thread: idle workers poll on for KEEP_US µs from when they see it. */
export const BEAT = 6;
export const KEEP_US = 7;
export const COUNT = 16;
export const GEN = 17;
export const FAULT = 32;
export const FAULT_LEN = 33;
export const ATTACHED = 34;
const MESSAGE_BYTE = 256;
const MESSAGE_MAX = 256;

/**
 * Commands the main thread posts. Load: ARG0 program id, ARG1 byte offset and ARG2 length of its
 * JSON, ends at a barrier. Run: ARG0 program id. Drop: ARG0 program id, ends at a barrier. Exit:
 * leave the loop. Fail (tests only): ARG0 the thread to fail, ARG1 0 throw / 1 exit the worker.
 * Load, Run and Drop end at barriers, so the main thread never posts over a command a worker has
 * not read yet; rest() and keepPolling() are flags, not commands, for the same reason.
 */
export const Command = { Load: 1, Run: 2, Drop: 3, Exit: 4, Fail: 5 } as const;
export type Command = (typeof Command)[keyof typeof Command];

/** Thrown in every thread of a team once one of them failed. */
export class ThreadFault extends Error {
  constructor(
    readonly thread: number,
    readonly reason: string,
  ) {
    super(`worker thread ${thread} failed: ${reason}`);
    this.name = 'ThreadFault';
  }
}

/**
 * How long a barrier polls before it blocks. A thread that blocks hands its core to whatever else
 * is runnable (V8's compiler and GC threads), which then keeps it for a scheduler slice of ms:
 * measured on a fresh team (whose JavaScript was compiling in the background), 0.25 ms made steps
 * of 0.33 ms take 3.7 ms for the first 4–14 steps; 1 ms avoided it (as does the backend's warm-up of
 * a new team), and with 1 ms the bench's batch-32 rounds stayed on the team where with 0.25 ms one
 * round in six went to the main thread alone. The chooser (wasm-backend.ts) still moves to one
 * thread when another process holds a core.
 */
const SPIN_MS = 1;
/**
 * How long an idle worker polls for the next command before it blocks: longer than a barrier,
 * because between two training steps the main thread copies a batch in, reads the loss and runs
 * callbacks (tens of µs, more after a garbage collection), and a worker woken from Atomics.wait
 * costs the next step tens of µs here. When the main thread goes on alone, it sets REST and the
 * workers block at once: polling would take a core from the main thread while another process
 * holds the other (measured: alone runs of 0.75 ms took 3–5 ms right after a look at the team).
 */
export const IDLE_SPIN_MS = 2;
/** Polls between two looks at the clock. */
const POLLS = 128;
/** Blocking waits last at most this long before the fault word is checked again. */
const SLICE_MS = 50;
/**
 * A barrier that waits longer than this has a partner that stopped without a word (the parts of a
 * kernel call are even: the largest GEMM of a realistic layer takes seconds, not a minute).
 */
const STALL_MS = 60_000;

/** One thread's view of the control block. */
export class Control {
  /**
   * @param words Int32 view of the whole memory (old views stay valid after growth: the block is
   *   allocated first, at a low offset).
   * @param base the block's byte offset.
   * @param canBlock whether this thread may call Atomics.wait (not a browser's main thread).
   */
  constructor(
    readonly words: Int32Array,
    readonly base: number,
    readonly canBlock: boolean,
    /** The team's size: a fault of no particular thread is recorded as thread `threads`. */
    readonly threads = 0,
  ) {}

  private at(word: number): number {
    return (this.base >> 2) + word;
  }

  load(word: number): number {
    return Atomics.load(this.words, this.at(word));
  }

  store(word: number, value: number): void {
    Atomics.store(this.words, this.at(word), value);
  }

  /** Posts a command: arguments first, then SEQ, so that a thread seeing the new SEQ sees them. */
  post(cmd: Command, a0 = 0, a1 = 0, a2 = 0): void {
    this.store(REST, 0);
    this.store(CMD, cmd);
    this.store(ARG0, a0);
    this.store(ARG1, a1);
    this.store(ARG2, a2);
    Atomics.add(this.words, this.at(SEQ), 1);
    Atomics.notify(this.words, this.at(SEQ));
  }

  /** Tells idle workers to stop polling and block until the next command. */
  rest(): void {
    this.store(REST, 1);
  }

  /** Tells idle workers to keep polling for `ms` more (the main thread runs alone for about that long). */
  keepPolling(ms: number): void {
    this.store(KEEP_US, Math.round(ms * 1000));
    Atomics.add(this.words, this.at(BEAT), 1);
  }

  /** The team's fault: the first thread that failed and why, or null. */
  fault(): ThreadFault | null {
    const f = Atomics.load(this.words, this.at(FAULT));
    return f === 0 ? null : new ThreadFault(f - 1, this.faultMessage());
  }

  /** Throws the team's fault, if any. */
  checkFault(): void {
    const fault = this.fault();
    if (fault) throw fault;
  }

  /** Blocks until a thread has failed or `ms` have passed (Node's main thread and workers only). */
  waitForFault(ms: number): void {
    Atomics.wait(this.words, this.at(FAULT), 0, ms);
  }

  /**
   * Returns once `word` no longer holds `value`, polling for `spinMs` before blocking; throws a
   * ThreadFault when a thread failed, or when the blocking part lasted over `stallMs` (a thread
   * that stopped without a word). An `idle` worker also stops polling at REST and polls longer at
   * a BEAT (see rest() and keepPolling()).
   */
  waitChange(word: number, value: number, stallMs = Infinity, spinMs = SPIN_MS, idle = false): void {
    // Three small functions, not one: the polls are hot and the blocking part is cold. Together,
    // the first barrier of a run that blocked met code TurboFan had no feedback for, deoptimized
    // the whole function and recompiled it (2 × ~8 ms on a background thread, taking a core from the
    // team in the middle of a timed epoch, on every new team); apart, the hot parts stay compiled.
    // The polls return booleans: a number that was 0 on every return TurboFan saw (a change seen
    // while polling) and then a time in ms (the first poll that ran out) deoptimized the barrier
    // ("lost precision") in a user's third epoch, and the runner that inlines it was compiled again.
    const i = this.at(word);
    const timedOut = idle ? this.pollIdle(i, value, spinMs) : this.poll(i, value, performance.now() + spinMs);
    if (timedOut) this.block(i, value, stallMs);
  }

  /** Polls word i until it no longer holds `value` (false) or until `until` (true). */
  private poll(i: number, value: number, until: number): boolean {
    const w = this.words;
    const fault = this.at(FAULT);
    do {
      for (let p = 0; p < POLLS; p++) if (Atomics.load(w, i) !== value) return false;
      if (Atomics.load(w, fault) !== 0) this.checkFault();
    } while (performance.now() < until);
    return true;
  }

  /** poll() for an idle worker: stops at REST, and a BEAT extends the polling (see keepPolling()). */
  private pollIdle(i: number, value: number, spinMs: number): boolean {
    const w = this.words;
    const fault = this.at(FAULT);
    let until = performance.now() + spinMs;
    let beat = this.load(BEAT);
    for (;;) {
      for (let p = 0; p < POLLS; p++) if (Atomics.load(w, i) !== value) return false;
      if (Atomics.load(w, fault) !== 0) this.checkFault();
      if (this.load(REST) !== 0) return true;
      // Branch-free on purpose: code first reached after TurboFan compiled the loop (the first beat
      // of a new worker) has no type feedback and deoptimizes it. × 0.001, not / 1000: a whole
      // number of ms would teach it integer arithmetic, and the first fraction would deoptimize too.
      const now = performance.now();
      const b = this.load(BEAT);
      const extended = now + this.load(KEEP_US) * 0.001;
      if (((b !== beat ? 1 : 0) & (extended > until ? 1 : 0)) !== 0) until = extended;
      beat = b;
      if (now >= until) return true;
    }
  }

  /** Blocks (where allowed) until word i no longer holds `value`; a fault after `stallMs` of it. */
  private block(i: number, value: number, stallMs: number): void {
    const w = this.words;
    const stall = performance.now() + stallMs;
    while (Atomics.load(w, i) === value) {
      this.checkFault();
      if (this.canBlock) Atomics.wait(w, i, value, SLICE_MS);
      if (performance.now() > stall) {
        this.fail(this.threads, `a thread did not reach a barrier within ${stallMs / 1000} s`);
        this.checkFault();
      }
    }
  }

  /** Meets the other `threads - 1` threads: returns when all have arrived. */
  barrier(threads: number): void {
    const gen = Atomics.load(this.words, this.at(GEN));
    if (Atomics.add(this.words, this.at(COUNT), 1) === threads - 1) {
      Atomics.store(this.words, this.at(COUNT), 0);
      Atomics.add(this.words, this.at(GEN), 1);
      Atomics.notify(this.words, this.at(GEN));
      return;
    }
    this.waitChange(GEN, gen, STALL_MS);
  }

  /** Records that `thread` failed (the first fault wins) and wakes every waiting thread. */
  fail(thread: number, reason: string): void {
    if (Atomics.compareExchange(this.words, this.at(FAULT), 0, thread + 1) === 0) {
      const bytes = new TextEncoder().encode(reason).subarray(0, MESSAGE_MAX);
      const u8 = new Uint8Array(this.words.buffer, this.base + MESSAGE_BYTE, MESSAGE_MAX);
      u8.set(bytes);
      Atomics.store(this.words, this.at(FAULT_LEN), bytes.length);
    }
    Atomics.notify(this.words, this.at(GEN));
    Atomics.notify(this.words, this.at(SEQ));
    Atomics.notify(this.words, this.at(FAULT));
  }

  private faultMessage(): string {
    // The failing thread writes its message right after claiming FAULT: give it a moment.
    let len = 0;
    for (let i = 0; i < 100_000 && len === 0; i++) len = Atomics.load(this.words, this.at(FAULT_LEN));
    // TextDecoder refuses views of shared memory in browsers: copy first.
    const copy = new Uint8Array(len);
    copy.set(new Uint8Array(this.words.buffer, this.base + MESSAGE_BYTE, len));
    return new TextDecoder().decode(copy) || 'unknown reason';
  }
}
