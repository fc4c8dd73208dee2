/**
 * What a reconcile returns — `Result.done()` or `Result.requeueAfter(ms)` — and the error that
 * means "do not retry". `Result` is both the type of a reconcile's outcome and the object that
 * makes one, so `import { Result } from 'kubeforge/runtime'` serves `Promise<Result>` and
 * `return Result.done()` alike.
 */
import type { Result as ReconcileResult } from '../types.js';

/** What a reconcile returns: done, or run again after `requeueAfterMs`. */
export type Result = ReconcileResult;

export const Result = {
  /** The object is as it should be; nothing to do until it (or something it watches) changes. */
  done(): Result {
    return {};
  },

  /** Reconcile this key again after `ms` milliseconds, even if nothing changes. */
  requeueAfter(ms: number): Result {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`requeueAfter: expected a non-negative number of milliseconds, got ${ms}`);
    return { requeueAfterMs: ms };
  },
} as const;

/**
 * Throw this from a reconcile when retrying cannot help (invalid spec, missing permission the
 * user must grant). It is logged and counted in `controller_runtime_terminal_reconcile_errors_total`
 * but the key is not requeued; the next change to the object reconciles it again.
 */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

export function isTerminalError(error: unknown): error is TerminalError {
  return error instanceof TerminalError;
}
