/*
Copyright 2026 The microservice-operator Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

import { startControlPlane, type ControlPlane } from 'kubeforge/envtest';
import { Deployment, Result, findStatusCondition, newClient, newEventRecorder, type Client } from 'kubeforge/runtime';
import { testReconcileContext } from 'kubeforge/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MicroServiceKind } from '../../api/v1/microservice.types.js';
import { FINALIZER, MicroServiceReconciler } from './microservice.controller.js';

// Runs against a real etcd + kube-apiserver with the CRDs from `npm run manifests` installed.
describe('MicroServiceReconciler', () => {
  let controlPlane: ControlPlane;
  let client: Client;
  let reconciler: MicroServiceReconciler;

  beforeAll(async () => {
    controlPlane = await startControlPlane({ crdDirectoryPaths: ['config/crd/bases'] });
    client = newClient(controlPlane.restConfig);
    const ctx = testReconcileContext();
    const events = newEventRecorder(client, {
      reportingController: 'test',
      reportingInstance: 'test',
      logger: ctx.log,
    });
    reconciler = new MicroServiceReconciler(client, client, events);
  });

  afterAll(async () => {
    await controlPlane?.stop();
  });

  it('creates an owned Deployment and records revision 1', async () => {
    const key = { namespace: 'default', name: 'microservice-sample' };
    await client.create(MicroServiceKind, {
      apiVersion: MicroServiceKind.apiVersion,
      kind: MicroServiceKind.kind,
      metadata: key,
      spec: { image: 'nginx:1.27', replicas: 2 },
    });

    expect(await reconciler.reconcile(key, testReconcileContext())).toEqual(Result.done());

    const deployment = await client.get(Deployment, key);
    expect(deployment?.spec?.replicas).toBe(2);
    expect(deployment?.spec?.template.spec?.containers[0].image).toBe('nginx:1.27');
    expect(deployment?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'MicroService', controller: true });
    const microService = await client.get(MicroServiceKind, key);
    expect(microService?.metadata?.finalizers).toContain(FINALIZER);
    expect(microService?.status).toMatchObject({ revision: 1, currentImage: 'nginx:1.27' });
  });

  it('reports Degraded when rollbackTo names an unknown revision', async () => {
    const key = { namespace: 'default', name: 'bad-rollback' };
    await client.create(MicroServiceKind, {
      metadata: key,
      spec: { image: 'nginx:1.27', rollbackTo: 9 },
    });

    expect(await reconciler.reconcile(key, testReconcileContext())).toEqual(Result.done());

    const microService = await client.get(MicroServiceKind, key);
    expect(findStatusCondition(microService?.status?.conditions ?? [], 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'RevisionNotFound',
    });
  });

  it('returns done when the MicroService no longer exists', async () => {
    const key = { namespace: 'default', name: 'missing' };
    expect(await reconciler.reconcile(key, testReconcileContext())).toEqual(Result.done());
  });
});
