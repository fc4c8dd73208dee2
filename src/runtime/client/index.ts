/**
 * The client: typed reads and writes of any kind against the apiserver over a keep-alive
 * REST transport, with discovery-backed REST mapping, paging, watches, apiserver errors as
 * `ApiError`, and hooks for REST request metrics.
 */
export {
  newClient,
  type ClientOptions,
  type DirectClient,
  type ListPageOptions,
  type ObjectList,
  type WatchOptions,
} from './direct-client.js';
export {
  ApiError,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  type StatusBody,
  type StatusDetails,
} from './errors.js';
export { observeRestRequests, type RestRequestEvent, type RestRequestObserver } from './metrics.js';
export {
  MalformedWatchEventError,
  WatchIdleTimeoutError,
  type WatchEvent,
  type WatchEventType,
} from './watch-stream.js';
export type { Transport, TransportOptions } from './transport.js';
