/**
 * Prometheus metrics with controller-runtime's names (reconcile counts and latency, work queue
 * depth and latency, leader status, REST client requests) in one process-wide registry that the
 * manager's metrics endpoint serves; add your own metrics to `metricsRegistry`. The filter in front
 * of that endpoint (TokenReview + SubjectAccessReview, as controller-runtime's) is here too.
 */
export {
  controllerMetrics,
  controllerSeries,
  exportRestClientMetrics,
  leaderElectionStatus,
  metricsRegistry,
  registerProcessMetrics,
  workQueueMetrics,
  type ControllerSeries,
  type QueueSample,
  type ReconcileOutcome,
} from './registry.js';
export {
  DEFAULT_AUTH_CACHE_TTL_MS,
  withAuthenticationAndAuthorization,
  type AuthFilterOptions,
} from './auth-filter.js';
