/**
 * The apiserver `Status` objects the proxy answers with, in the apiserver's own reasons and words,
 * so a client decides on them (isConflict, isGone, Retry-After) exactly as it would on a real one.
 */
import type { RequestInfo } from './types.js';

export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; retryAfterSeconds?: number };
  code: number;
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

function target(request: RequestInfo): string {
  const resource = request.apiGroup ? `${request.resource}.${request.apiGroup}` : (request.resource ?? request.path);
  return request.name ? `${resource} "${request.name}"` : resource;
}

function defaultMessage(status: number, request: RequestInfo): string {
  switch (status) {
    case 404:
      return `${target(request)} not found`;
    case 409:
      return request.verb === 'create'
        ? `${target(request)} already exists`
        : `Operation cannot be fulfilled on ${target(request)}: the object has been modified; please apply your changes to the latest version and try again`;
    case 410: {
      const version = request.query.get('resourceVersion') ?? '0';
      return `too old resource version: ${version} (${Number(version) + 1})`;
    }
    case 429:
      return 'Too many requests, please try again later.';
    case 503:
      return 'the server is currently unable to handle the request';
    default:
      return `${REASONS[status] ?? `HTTP ${status}`} (injected by kubeforge envtest faults)`;
  }
}

export function statusObject(
  status: number,
  request: RequestInfo,
  options: { message?: string; retryAfterSeconds?: number } = {},
): StatusObject {
  const reason = status === 409 && request.verb === 'create' ? 'AlreadyExists' : (REASONS[status] ?? 'Unknown');
  const details: StatusObject['details'] = {};
  if (request.name) details.name = request.name;
  if (request.apiGroup) details.group = request.apiGroup;
  if (request.resource) details.kind = request.resource;
  if (options.retryAfterSeconds !== undefined) details.retryAfterSeconds = options.retryAfterSeconds;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: options.message ?? defaultMessage(status, request),
    reason,
    ...(Object.keys(details).length > 0 ? { details } : {}),
    code: status,
  };
}

/** One line of a watch stream: `{"type":"ERROR","object":<Status>}`. */
export function errorEventLine(status: StatusObject): string {
  return `${JSON.stringify({ type: 'ERROR', object: status })}\n`;
}
