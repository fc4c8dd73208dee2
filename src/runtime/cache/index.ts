/**
 * The informer cache: watchers that list then watch and never give up, stores swapped
 * atomically on relist, shared informers that tell handlers what changed, a cache of informers
 * per kind, and the cached client that reads from it.
 */
export { type AuditOptions, type AuditReport, type MissedEvents } from './audit.js';
export { Backoff, type BackoffOptions } from './backoff.js';
export { cachedClient } from './cached-client.js';
export { fieldIndexName, type FieldExtractor, type FieldIndexer } from './field-index.js';
export {
  DEFAULT_SYNC_PERIOD_MS,
  InformerCache,
  newCache,
  type ByObjectOptions,
  type CacheOptions,
  type PeriodicAuditOptions,
} from './informer-cache.js';
export { SharedInformer, stripManagedFields, type InformerOptions, type WatchLiveness } from './informer.js';
export { explainWatchFailure } from './watch-failure.js';
export { labelMatcher, parseLabelSelector, type LabelMatcher, type LabelRequirement } from './label-selector.js';
export { CONTROLLER_UID_INDEX, NAMESPACE_INDEX, OWNER_UID_INDEX, Store, type ReplaceResult } from './store.js';
export {
  DEFAULT_WATCH_LIVENESS_MS,
  Watcher,
  type Transform,
  type WatcherEvent,
  type WatcherOptions,
  type WatcherStats,
} from './watcher.js';
export type { Cache, EventHandler, IndexFunc, Informer } from '../types.js';
