/**
 * Prometheus metrics with controller-runtime's names (reconcile counts and latency, work queue
 * depth and latency, leader status, REST client requests) and the HTTP endpoint that serves them.
 */
export {
  registry,
  controllerMetrics,
  leaderElectionStatus,
  exportRestClientMetrics,
  workQueueMetrics,
} from './registry.js';
