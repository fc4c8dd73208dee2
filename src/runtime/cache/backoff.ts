/**
 * Reconnect backoff of watchers: exponential from 0.8 s to 30 s with jitter, starting over once
 * the watch has gone a healthy period (default 2 min) without needing a backoff.
 */

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** Each delay is stretched by up to this fraction at random. */
  jitter?: number;
  /** A failure after this long without one starts again from `initialMs`. */
  resetAfterMs?: number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly resetAfterMs: number;
  private currentMs: number;
  private lastFailureAt = -Infinity;

  constructor(
    options: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.initialMs = options.initialMs ?? 800;
    this.maxMs = options.maxMs ?? 30_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 0.2;
    this.resetAfterMs = options.resetAfterMs ?? 120_000;
    this.currentMs = this.initialMs;
  }

  /** The delay before the next attempt; each call without a healthy period in between grows it. */
  next(): number {
    const now = Date.now();
    if (now - this.lastFailureAt >= this.resetAfterMs) this.currentMs = this.initialMs;
    this.lastFailureAt = now;
    const base = this.currentMs;
    this.currentMs = Math.min(this.maxMs, this.currentMs * this.factor);
    return Math.min(this.maxMs, Math.round(base * (1 + this.jitter * this.random())));
  }
}
