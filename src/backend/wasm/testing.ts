// Test-facing switches of the WASM backend, off its public class: where a backend's programs run
// (always on the thread team, or on the main thread alone, instead of its mode chooser's pick) and a
// worker failure on demand. Tests and benchmarks import `testing`; production code never sets
// anything here, and the per-run cost of the switches is one read of `hooks.placement` (null).

import { StateError } from '../../errors.js';
import type { ThreadTeam } from './team.js';
import type { WasmBackend } from './wasm-backend.js';

export type Placement = 'team' | 'alone';

/** What wasm-backend.ts reads (placement) and provides (teamOf). */
export const hooks: {
  /** Forced placements by backend; null until a test forces one. */
  placement: WeakMap<WasmBackend, Placement> | null;
  /** A backend's running team (set by wasm-backend.ts). */
  teamOf: ((backend: WasmBackend) => ThreadTeam | null) | null;
} = { placement: null, teamOf: null };

function place(backend: WasmBackend, placement: Placement): void {
  hooks.placement ??= new WeakMap();
  hooks.placement.set(backend, placement);
}

export const testing = {
  /** Every program of `backend` runs on its team (once started), never on the main thread alone. */
  runOnTeam(backend: WasmBackend): void {
    place(backend, 'team');
  },
  /** Every program of `backend` runs on the main thread alone, its workers told to rest. */
  runAlone(backend: WasmBackend): void {
    place(backend, 'alone');
  },
  /** `backend` chooses again between its team and the main thread alone. */
  runAsChosen(backend: WasmBackend): void {
    hooks.placement?.delete(backend);
  },
  /** Makes worker `thread` (1..threads−1) of `backend` fail the way a crash would. */
  failWorker(backend: WasmBackend, thread: number, mode: 'throw' | 'exit'): void {
    const team = hooks.teamOf?.(backend);
    if (!team) throw new StateError('testing.failWorker: no worker threads are running; await start() first.');
    team.failWorker(thread, mode);
  },
};
