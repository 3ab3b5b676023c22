// The browser worker entry (a module Web Worker): join the team on the first message, say so, then
// serve the team's commands. A worker may block in Atomics.wait; the page's main thread may not.

import { attach, serve, type ThreadInit } from './thread-loop.js';

interface WorkerScope {
  onmessage: ((event: { data: ThreadInit }) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.onmessage = (event) => {
  scope.onmessage = null;
  try {
    const attached = attach(event.data);
    scope.postMessage({ attached: event.data.thread });
    setTimeout(() => serve(attached, () => scope.close()), 0);
  } catch (error) {
    scope.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
