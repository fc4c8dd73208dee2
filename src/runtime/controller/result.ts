/** What a reconcile returns, and the error that means "do not retry". */
import type { Result } from '../types.js';

/** The object is as it should be; nothing to do until it (or something it watches) changes. */
export function done(): Result {
  return {};
}

/** Reconcile this key again after `ms` milliseconds, even if nothing changes. */
export function requeueAfter(ms: number): Result {
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`requeueAfter: expected a non-negative number of milliseconds, got ${ms}`);
  return { requeueAfterMs: ms };
}

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
