/**
 * Faults on demand: a programmable proxy between clients and a kube-apiserver that freezes, drops
 * and expires watches, answers chosen requests with errors, adds latency, cuts connections and
 * partitions the network — deterministically, scoped per test. See docs/envtest.md.
 */
export { startFaultProxy, type FaultProxy, type FaultProxyOptions } from './proxy.js';
export type * from './types.js';
