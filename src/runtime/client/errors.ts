/**
 * Errors from the apiserver: `ApiError` carries the HTTP status and the `Status` object the
 * server returned (reason, message, details), and names the request that failed.
 */

/** The `metav1.Status` body the apiserver sends with errors. */
export interface StatusBody {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: StatusDetails;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: { reason?: string; message?: string; field?: string }[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status code (404, 409, 410, …). */
  readonly status: number;
  /** `Status.reason`: NotFound, Conflict, AlreadyExists, Expired, Gone, Invalid, Forbidden, … */
  readonly reason: string;
  readonly details?: StatusDetails;
  /** The full `Status` body, when the server sent one. */
  readonly body?: StatusBody;

  constructor(
    what: string,
    status: number,
    body: StatusBody | undefined,
    text?: string,
    options?: { cause?: unknown },
  ) {
    const reason = body?.reason || reasonForStatus(status);
    const serverMessage = body?.message || text?.trim().slice(0, 500) || '';
    super(`${what}: ${status} ${reason}${serverMessage ? `: ${serverMessage}` : ''}`, options);
    this.status = status;
    this.reason = reason;
    this.details = body?.details;
    this.body = body;
  }
}

function reasonForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 409:
      return 'Conflict';
    case 410:
      return 'Gone';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 500:
      return 'InternalError';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return 'Unknown';
  }
}

function apiError(e: unknown): ApiError | undefined {
  return e instanceof ApiError ? e : undefined;
}

export function isNotFound(e: unknown): boolean {
  return apiError(e)?.status === 404;
}

/** 409 Conflict from a stale resourceVersion or a precondition (not AlreadyExists). */
export function isConflict(e: unknown): boolean {
  const err = apiError(e);
  return err?.status === 409 && err.reason !== 'AlreadyExists';
}

export function isAlreadyExists(e: unknown): boolean {
  return apiError(e)?.reason === 'AlreadyExists';
}

/** 410 Gone / Expired: the requested resourceVersion is too old (compacted). */
export function isGone(e: unknown): boolean {
  const err = apiError(e);
  return err?.status === 410 || err?.reason === 'Expired' || err?.reason === 'Gone';
}

export function isInvalid(e: unknown): boolean {
  return apiError(e)?.status === 422;
}

export function isForbidden(e: unknown): boolean {
  return apiError(e)?.status === 403;
}
