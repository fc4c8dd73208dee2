/**
 * When a request is sent again, as client-go's `rest.Request` decides: a 429, or a 5xx on an
 * idempotent request, with a `Retry-After` of whole seconds (waited, at most 10 s); and a GET whose
 * connection broke before an answer (reset, closed, GOAWAY, dead HTTP/2 session), after 1 s as
 * client-go's artificial Retry-After. A 5xx on POST or PATCH is not retried: the server may have
 * acted on it.
 */
import type { ResponseHead } from './connections.js';

const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE']);
const MAX_RETRY_AFTER_S = 10;
const BROKEN_CONNECTION_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ERR_HTTP2_STREAM_CANCEL',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_INVALID_SESSION',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Milliseconds to wait before the next attempt, or undefined when the request must not be retried. */
export function retryDelayMs(method: string, res?: ResponseHead, error?: unknown): number | undefined {
  if (error !== undefined) return method === 'GET' && brokenConnection(error) ? 1000 : undefined;
  if (!res || (res.status !== 429 && (res.status < 500 || !IDEMPOTENT.has(method)))) return undefined;
  const header = res.headers['retry-after'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Math.min(Number(value), MAX_RETRY_AFTER_S) * 1000;
}

function brokenConnection(error: unknown): boolean {
  for (let e = error as { code?: string; name?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.name === 'Http2PingTimeoutError') return true;
    if (e.code && BROKEN_CONNECTION_CODES.has(e.code)) return true;
  }
  return false;
}
