/** The webhook server's metrics, named and labelled as controller-runtime's. */
import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from '../metrics/index.js';

const registers = [metricsRegistry];

export const webhookMetrics = {
  requestsTotal: new Counter({
    name: 'controller_runtime_webhook_requests_total',
    help: 'Total number of admission requests by HTTP status code.',
    labelNames: ['webhook', 'code'],
    registers,
  }),
  requestsInFlight: new Gauge({
    name: 'controller_runtime_webhook_requests_in_flight',
    help: 'Current number of admission requests being served.',
    labelNames: ['webhook'],
    registers,
  }),
  latencySeconds: new Histogram({
    name: 'controller_runtime_webhook_latency_seconds',
    help: 'Histogram of the latency of processing admission requests',
    labelNames: ['webhook'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  }),
};
