/**
 * kubeforge/runtime: what a reconciler author uses, in the spirit of controller-runtime's
 * alias.go. Each name is listed on purpose; the machinery behind them (watchers, stores, queues,
 * rate limiters, the webhook server, metrics) is imported from the subpaths
 * `kubeforge/runtime/{cache,client,controller,helpers,leader,metrics,predicates,queue,webhook}`,
 * one per folder of this directory (docs/runtime.md lists them).
 */
import * as predicates from './predicates/index.js';

// The vocabulary reconcilers are written in: objects, their kinds and keys, the reconcile contract, the client.
export type { Client, KubeObject, ObjectKey, ObjectKind, ReconcileContext, Reconciler, Request } from './types.js';
// Server-side apply of only the fields you own (`kubeforge manifests` emits `<Kind>ApplyConfiguration` with them).
export type { ApplyConfiguration, DeepPartial, NamespacedApplyConfiguration } from './types.js';

// How a reconcile ends: `Result.done()`, `Result.requeueAfter(ms)`, or a throw (TerminalError: no retry).
export { Result, TerminalError } from './controller/index.js';

// The operator's process: a manager configured from the command line, running until SIGTERM.
export {
  exitOnBadInvocation,
  managerOptionsFromArgs,
  newManager,
  signalHandler,
  type Check,
  type Manager,
  type ManagerOptions,
} from './manager/index.js';
export type { Runnable } from './types.js';

// Controllers: `controllerFor(mgr, Kind).owns(…).watches(…).complete(reconciler)`.
export { controllerFor } from './controller/index.js';

// Event filters for the builder, as one namespace: `predicates.generationChanged()`, `predicates.and(…)`.
export { predicates };

// Reaching the apiserver yourself (tests, tools); the manager has both already (`mgr.client`, `mgr.apiReader`).
export { loadRestConfig, newClient, type DirectClient, type RestConfig } from './client/index.js';
// A client bound to one namespace (multi-tenant reconcilers): `newNamespacedClient(mgr.client, ns)`.
export { newNamespacedClient, type NamespacedClient } from './client/index.js';

// What the apiserver answered when it refused, and how to tell the answers apart.
export { ApiError, isAlreadyExists, isConflict, isForbidden, isGone, isInvalid, isNotFound } from './client/index.js';

// Kinds: your own with defineKind, and the built-in ones typed with @kubernetes/client-node models.
export {
  ClusterRole,
  ClusterRoleBinding,
  ConfigMap,
  CronJob,
  CustomResourceDefinition,
  DaemonSet,
  defineKind,
  Deployment,
  Event,
  EventV1,
  Ingress,
  Job,
  Lease,
  MutatingWebhookConfiguration,
  Namespace,
  Pod,
  ReplicaSet,
  Role,
  RoleBinding,
  Secret,
  Service,
  ServiceAccount,
  StatefulSet,
  ValidatingWebhookConfiguration,
} from './kinds.js';

// Helpers reconcilers reach for: owner references, create-or-update, finalizers, conditions, events.
export {
  AlreadyOwnedError,
  controllerOf,
  setControllerReference,
  setOwnerReference,
  createOrPatch,
  createOrUpdate,
  addFinalizer,
  finalize,
  hasFinalizer,
  removeFinalizer,
  findStatusCondition,
  isStatusConditionFalse,
  isStatusConditionTrue,
  removeStatusCondition,
  setStatusCondition,
  newEventRecorder,
  type EventRecorder,
} from './helpers/index.js';

// Logging: the manager's pino logger, and one of your own.
export { newLogger, type Logger, type LogFormat, type LogOptions } from './log.js';
