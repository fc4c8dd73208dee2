/**
 * Prometheus metrics with controller-runtime's names (reconcile counts and latency, work queue
 * depth and latency, leader status, REST client requests) in one process-wide registry that the
 * manager's metrics endpoint serves; add your own metrics to `metricsRegistry`.
 */
export {
  controllerMetrics,
  exportRestClientMetrics,
  leaderElectionStatus,
  metricsRegistry,
  workQueueMetrics,
} from './registry.js';
