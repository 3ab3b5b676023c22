// The Node worker entry: a piscina task that joins the team and returns, leaving the thread to serve
// the team's commands from its event loop (setImmediate). Returning matters: piscina then counts
// the worker idle and unreferenced, so a process that is done exits by itself; a task that ran
// forever would keep it alive. The team's pool runs with atomics disabled so that an idle piscina
// worker sits in its event loop (where the serve loop runs) rather than in Atomics.wait.

import { ATTACHED } from './control.js';
import { attach, serve, type ThreadInit } from './thread-loop.js';

/** How long a worker waits for the rest of the team to attach before giving up. */
const ATTACH_TIMEOUT_MS = 60_000;

export default function join(init: ThreadInit): number {
  const attached = attach(init);
  const { control } = attached;
  // Whatever ends this thread (process.exit in any code it runs, a fatal error) tells the team.
  const onExit = (code: number) => control.fail(init.thread, `the worker thread exited with code ${code}`);
  process.on('exit', onExit);
  // Hold this task until every worker attached, so that piscina gives each join its own worker.
  const index = (init.control >> 2) + ATTACHED;
  const deadline = Date.now() + ATTACH_TIMEOUT_MS;
  for (let n = Atomics.load(control.words, index); n < init.threads - 1; n = Atomics.load(control.words, index)) {
    if (Date.now() > deadline)
      throw new Error(`only ${n} of ${init.threads - 1} worker threads started within ${ATTACH_TIMEOUT_MS / 1000} s`);
    Atomics.wait(control.words, index, n, 100);
  }
  setImmediate(() => {
    serve(attached, (code) => process.exit(code));
    process.off('exit', onExit);
  });
  return init.thread;
}
