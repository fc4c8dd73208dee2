// What the "many kinds, no listener warning" tests of the cache and the manager share: a dozen
// built-in kinds (more informers than Node's default limit of 10 listeners per signal) and a
// recorder of the MaxListenersExceededWarnings the process emits meanwhile.
import {
  ConfigMap,
  CronJob,
  DaemonSet,
  Deployment,
  Ingress,
  Job,
  Pod,
  ReplicaSet,
  Secret,
  Service,
  ServiceAccount,
  StatefulSet,
  type ObjectKind,
} from '../../src/runtime/index.js';

export const manyBuiltInKinds: ObjectKind[] = [
  ConfigMap,
  Secret,
  Service,
  ServiceAccount,
  Pod,
  Deployment,
  ReplicaSet,
  StatefulSet,
  DaemonSet,
  Job,
  CronJob,
  Ingress,
];

/** Records the process's MaxListenersExceededWarnings until `stop()`. */
export function recordListenerWarnings(): { warnings: string[]; stop(): void } {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => {
    if (warning.name === 'MaxListenersExceededWarning') warnings.push(warning.message);
  };
  process.on('warning', onWarning);
  return { warnings, stop: () => process.off('warning', onWarning) };
}
