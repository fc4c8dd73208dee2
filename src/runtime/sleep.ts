/** The runtime's one pause: a timer that an AbortSignal cuts short. */

/**
 * Resolves after `ms`, or as soon as `signal` aborts — at once when it already has. It never
 * rejects: a caller that must not go on after an abort checks `signal.aborted` (or calls
 * `signal.throwIfAborted()`) when it resolves.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
