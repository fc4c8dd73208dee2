/**
 * The one-command demo (`npm run demo`, entry point `main.ts`): the MicroService operator of
 * examples/microservice-operator, rebuilt from kubeforge output, runs against a local envtest
 * control plane with kube-controller-manager (or an existing cluster) through create → scale →
 * upgrade → rollback → delete, printing each step as kubectl would, then leaves nothing running.
 * The pieces the tests and bench/ reuse are exported too.
 */
export { runDemo, type DemoOptions } from './run-demo.js';
export { bundleOperator, scaffoldOperator, type ScaffoldedOperator, type ScaffoldRecord } from './build-operator.js';
export { markPodsReady } from './kubelet.js';
export { startOperatorProcess, type OperatorProcess } from './operator-process.js';
