/**
 * kubeforge/runtime: the controller runtime every generated operator runs on. The data plane
 * (kinds, config, client, watcher, store, informer cache) feeds the control plane (queue,
 * controllers, manager, leader election, metrics).
 */
export type * from './types.js';
// data plane
export * from './kinds.js';
export { loadRestConfig, inClusterConfig, type LoadRestConfigOptions, type PluginRestConfig } from './config.js';
export * from './client/index.js';
export * from './cache/index.js';
// control plane
export * from './controller/index.js';
export * from './manager/index.js';
export * from './queue/index.js';
export * from './leader/index.js';
export * from './helpers/index.js';
export * from './webhook/index.js';
export { registry as metricsRegistry, controllerMetrics, exportRestClientMetrics } from './metrics/index.js';
export { newLogger, LOG_LEVELS, type Logger } from './log.js';
