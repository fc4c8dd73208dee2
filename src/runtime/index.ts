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
