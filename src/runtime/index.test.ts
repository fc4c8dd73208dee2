import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as runtime from './index.js';

describe('kubeforge/runtime', () => {
  it('exports the curated values only, with predicates and Result as namespaces', () => {
    expect(Object.keys(runtime).sort()).toEqual(
      [
        ...['Result', 'TerminalError', 'exitOnBadInvocation', 'managerOptionsFromArgs', 'newManager', 'signalHandler'],
        ...['controllerFor', 'predicates', 'loadRestConfig', 'newClient', 'newNamespacedClient'],
        ...['ApiError', 'isAlreadyExists', 'isConflict', 'isForbidden', 'isGone', 'isInvalid', 'isNotFound'],
        ...['defineKind', 'ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'CronJob', 'CustomResourceDefinition'],
        ...['DaemonSet', 'Deployment', 'Event', 'EventV1', 'Ingress', 'Job', 'Lease', 'MutatingWebhookConfiguration'],
        ...['Namespace', 'Pod', 'ReplicaSet', 'Role', 'RoleBinding', 'Secret', 'Service', 'ServiceAccount'],
        ...['StatefulSet', 'ValidatingWebhookConfiguration'],
        ...['AlreadyOwnedError', 'controllerOf', 'setControllerReference', 'setOwnerReference'],
        ...['createOrPatch', 'createOrUpdate', 'addFinalizer', 'finalize', 'hasFinalizer', 'removeFinalizer'],
        ...['findStatusCondition', 'isStatusConditionFalse', 'isStatusConditionTrue', 'removeStatusCondition'],
        ...['setStatusCondition', 'newEventRecorder', 'newLogger'],
      ].sort(),
    );
    expect(Object.keys(runtime.predicates).sort()).toEqual([
      ...['admits', 'and', 'annotationChanged', 'generationChanged', 'labelChanged', 'labelSelector', 'not', 'or'],
      'resourceVersionChanged',
    ]);
    expect(runtime.Result.done()).toEqual({});
    expect(runtime.Result.requeueAfter(5000)).toEqual({ requeueAfterMs: 5000 });
  });

  it('has one package subpath per folder, backed by its index.ts (the manager is in the barrel itself)', () => {
    const folders = readdirSync(new URL('.', import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'manager')
      .map((entry) => entry.name);
    const { exports } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const subpaths = Object.entries(exports).filter(([entry]) => entry.startsWith('./runtime/'));
    expect(subpaths.map(([entry]) => entry.slice('./runtime/'.length)).sort()).toEqual(folders.sort());
    for (const [entry, target] of subpaths) {
      expect(existsSync(new URL(`.${entry.slice('./runtime'.length)}/index.ts`, import.meta.url)), entry).toBe(true);
      expect(target).toEqual({
        types: `./dist${entry.slice(1)}/index.d.ts`,
        default: `./dist${entry.slice(1)}/index.js`,
      });
    }
  });
});
