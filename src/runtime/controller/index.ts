/**
 * Controllers: watches → handlers → predicates → a queue of keys → workers calling one
 * `reconcile(request, ctx)` method, which returns a `Result`. Build one with
 * `controllerFor(mgr, Kind)`.
 */
export { controllerFor, ControllerBuilder, type ControllerHost } from './builder.js';
export {
  Controller,
  DEFAULT_CACHE_SYNC_TIMEOUT_MS,
  ReconcileTimeoutError,
  type ControllerOptions,
} from './controller.js';
export {
  enqueueRequestForObject,
  enqueueRequestForOwner,
  enqueueRequestsFromMapFunc,
  type MapFunc,
} from './handlers.js';
export { isTerminalError, Result, TerminalError } from './result.js';
export type { ReconcileContext, Reconciler, Request } from '../types.js';
