/**
 * The manager: one per operator process. It owns the client, cache, logger, metrics and probe
 * servers, the webhook server and leader election, starts controllers when it leads, and shuts
 * down gracefully.
 */
export { exitOnBadInvocation } from './bad-invocation.js';
export { newManager, type Manager } from './manager.js';
export { managerOptionsFromArgs, type ManagerOptions } from './options.js';
export { signalHandler } from './signals.js';
export type { Check } from './http-servers.js';
