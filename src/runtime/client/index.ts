/**
 * The client: typed reads and writes of any kind against the apiserver over a keep-alive
 * REST transport, with discovery-backed REST mapping, paging, watches, apiserver errors as
 * `ApiError`, and hooks for REST request metrics; also how it finds the apiserver (rest config
 * loading) and the keys it addresses objects by.
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
export { newNamespacedClient, type NamespacedClient, type NamespacedDirectClient } from './namespaced-client.js';
export type { SubResourceClient } from './subresources.js';
export { describeRequest, requireNamespace } from './paths.js';
export {
  MalformedWatchEventError,
  WatchIdleTimeoutError,
  type WatchEvent,
  type WatchEventType,
} from './watch-stream.js';
export type { Transport, TransportOptions } from './transport.js';
export type { ConnectionEvent } from './connections.js';
export { Http2PingTimeoutError } from './http2-session.js';
export { RateLimiterWaitAborted } from './rate-limit.js';
export {
  inClusterConfig,
  loadRestConfig,
  type ExecPluginConfig,
  type LoadRestConfigOptions,
  type PluginRestConfig,
} from '../config.js';
export { keyFromString, keyString, objectKey, objectKeyString } from '../keys.js';
export { fieldSelectorFor, parseFieldSelector, type FieldRequirement } from '../field-selector.js';
export { kindName, parseApiVersion, type KindDefinition } from '../kinds.js';
export type {
  Applied,
  ApplyConfiguration,
  ApplyOptions,
  DeepPartial,
  NamespacedApplyConfiguration,
  Client,
  DeleteOptions,
  FieldValidation,
  JsonPatchOperation,
  KubeObject,
  ListOptions,
  ObjectKey,
  ObjectKind,
  ObjectOf,
  Patch,
  RestConfig,
  StatusWriter,
  WriteOptions,
} from '../types.js';
