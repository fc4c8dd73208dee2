/**
 * Predicates: which object events a controller's watches let through (`generationChanged()`,
 * `labelSelector('app=web')`, …), combined with `and`, `or`, `not`. `kubeforge/runtime` exports
 * this module as the namespace `predicates` (`predicates.generationChanged()`).
 */
export {
  admits,
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
