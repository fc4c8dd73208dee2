/**
 * The two dashboards of `edit --plugins grafana` over what every kubeforge operator serves on
 * /metrics under controller-runtime's names: reconciles, the work queue and REST client requests
 * (controller-runtime-metrics.json), and the process's CPU and memory
 * (controller-resources-metrics.json).
 */
import { dashboard, quantile, SELECTOR, type Panel } from './grafana-dashboard.js';

const rate = (metric: string, by: string) => `sum by (${by}) (rate(${metric}{${SELECTOR}}[5m]))`;
const percentiles = (metric: string, by: string, legend: string) =>
  [0.5, 0.9, 0.99].map((q) => ({ expr: quantile(q, metric, by), legend: `P${q * 100} ${legend}` }));

const reconciles: Panel[] = [
  {
    title: 'Reconciliations per second',
    description: 'Reconciles per controller and result (success, error, requeue, requeue_after).',
    unit: 'ops',
    queries: [
      {
        expr: rate('controller_runtime_reconcile_total', 'instance, controller, result'),
        legend: '{{controller}} {{result}}',
      },
    ],
  },
  {
    title: 'Reconciliation errors per second',
    description: 'Reconciles that returned an error, per controller.',
    unit: 'ops',
    queries: [
      { expr: rate('controller_runtime_reconcile_errors_total', 'instance, controller'), legend: '{{controller}}' },
    ],
  },
  {
    title: 'Reconciliation latency',
    description: 'How long one reconcile takes, per controller: 50th, 90th and 99th percentiles.',
    unit: 's',
    queries: percentiles('controller_runtime_reconcile_time_seconds', 'instance, controller', '{{controller}}'),
  },
  {
    title: 'Active workers',
    description: 'Reconciles running now, per controller.',
    unit: 'short',
    queries: [{ expr: `controller_runtime_active_workers{${SELECTOR}}`, legend: '{{controller}}' }],
  },
];

const workQueue: Panel[] = [
  {
    title: 'Work queue depth',
    description: 'Keys waiting to be reconciled, per queue.',
    unit: 'short',
    queries: [{ expr: `sum by (instance, name) (workqueue_depth{${SELECTOR}})`, legend: '{{name}}' }],
  },
  {
    title: 'Work queue adds per second',
    description: 'Keys added to each queue.',
    unit: 'ops',
    queries: [{ expr: rate('workqueue_adds_total', 'instance, name'), legend: '{{name}}' }],
  },
  {
    title: 'Time in queue',
    description: 'How long a key waits before a worker takes it: 50th, 90th and 99th percentiles.',
    unit: 's',
    queries: percentiles('workqueue_queue_duration_seconds', 'instance, name', '{{name}}'),
  },
  {
    title: 'Work duration',
    description: 'How long processing one key takes: 50th, 90th and 99th percentiles.',
    unit: 's',
    queries: percentiles('workqueue_work_duration_seconds', 'instance, name', '{{name}}'),
  },
  {
    title: 'Unfinished work',
    description:
      'Seconds of work in progress not yet observed by the work duration; a steady rise means stuck workers.',
    unit: 's',
    queries: [{ expr: `sum by (instance, name) (workqueue_unfinished_work_seconds{${SELECTOR}})`, legend: '{{name}}' }],
  },
  {
    title: 'Retries per second',
    description: 'Keys put back with rate-limited backoff (after an error), per queue.',
    unit: 'ops',
    queries: [{ expr: rate('workqueue_retries_total', 'instance, name'), legend: '{{name}}' }],
  },
];

const restClient: Panel[] = [
  {
    title: 'REST client requests per second',
    description: 'Requests the operator made to the apiserver, by HTTP method and status code.',
    unit: 'ops',
    queries: [{ expr: rate('rest_client_requests_total', 'instance, method, code'), legend: '{{method}} {{code}}' }],
  },
  {
    title: 'REST client request latency',
    description: 'Latency of requests to the apiserver, per verb: 50th, 90th and 99th percentiles.',
    unit: 's',
    queries: percentiles('rest_client_request_duration_seconds', 'instance, verb', '{{verb}}'),
  },
];

const resources: Panel[] = [
  {
    title: 'CPU usage',
    description: 'CPU seconds the operator process uses per second (1 = one core).',
    unit: 'short',
    queries: [{ expr: `rate(process_cpu_seconds_total{${SELECTOR}}[5m])`, legend: '{{pod}}' }],
  },
  {
    title: 'Memory usage',
    description: 'Resident memory of the operator process.',
    unit: 'bytes',
    queries: [{ expr: `process_resident_memory_bytes{${SELECTOR}}`, legend: '{{pod}}' }],
  },
];

export function runtimeDashboard(): object {
  return dashboard('kubeforge-controller-runtime', 'Controller Runtime Metrics', [
    { title: 'Reconciliation', panels: reconciles },
    { title: 'Work queue', panels: workQueue },
    { title: 'REST client', panels: restClient },
  ]);
}

export function resourcesDashboard(): object {
  return dashboard('kubeforge-controller-resources', 'Controller Resources Metrics', [
    { title: 'Process', panels: resources },
  ]);
}
