/**
 * Controllers: watches → handlers → predicates → a queue of keys → workers calling one
 * `reconcile(request, ctx)` method. Build one with `controllerFor(mgr, Kind)`.
 */
export { controllerFor, ControllerBuilder, type ControllerHost } from './builder.js';
export { Controller, type ControllerOptions } from './controller.js';
export {
  enqueueRequestForObject,
  enqueueRequestForOwner,
  enqueueRequestsFromMapFunc,
  requestFromKey,
  requestKey,
  type MapFunc,
} from './handlers.js';
export {
  and,
  annotationChanged,
  generationChanged,
  labelChanged,
  labelSelector,
  not,
  or,
  resourceVersionChanged,
  type Predicate,
} from './predicates.js';
export { done, isTerminalError, requeueAfter, TerminalError } from './result.js';
