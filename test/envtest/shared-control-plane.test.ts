import { describe, expect, it } from 'vitest';
import { apiRequest, pollUntil } from '../../src/envtest/api-requests.js';
import { createTestNamespace, kubectl, testRestConfig } from '../support/cluster.js';

describe('the shared control plane', () => {
  it('answers kubectl with the written kubeconfig', async () => {
    const namespaces = await kubectl(['get', 'ns', '-o', 'name']);
    expect(namespaces.split('\n')).toEqual(expect.arrayContaining(['namespace/default', 'namespace/kube-system']));
  });

  it('gives each test a fresh namespace', async () => {
    const first = await createTestNamespace('fresh');
    const second = await createTestNamespace('fresh');
    expect(first).not.toBe(second);
    expect(await kubectl(['get', 'ns', first, '-o', 'jsonpath={.status.phase}'])).toBe('Active');
  });

  it('garbage-collects a child whose owner is deleted (kube-controller-manager runs)', async () => {
    const namespace = await createTestNamespace('gc');
    const owner = JSON.parse(
      await kubectl(['create', 'configmap', 'owner', '-n', namespace, '--from-literal=role=owner', '-o', 'json']),
    ) as { metadata: { uid: string } };
    const child = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'child',
        namespace,
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid }],
      },
      data: { role: 'child' },
    };
    await kubectl(['apply', '-f', '-'], { input: JSON.stringify(child) });
    await kubectl(['delete', 'configmap', 'owner', '-n', namespace, '--wait=true']);
    const childPath = `/api/v1/namespaces/${namespace}/configmaps/child`;
    await pollUntil(async () => (await apiRequest(testRestConfig(), 'GET', childPath)).status === 404, {
      timeoutMs: 30_000,
      intervalMs: 250,
      describe: () => 'the child ConfigMap was not garbage-collected',
    });
    expect((await apiRequest(testRestConfig(), 'GET', childPath)).status).toBe(404);
  });

  it('turns a Deployment into a ReplicaSet (the deployment controller runs)', async () => {
    const namespace = await createTestNamespace('deploy');
    await kubectl(['create', 'deployment', 'web', '-n', namespace, '--image=example.invalid/web:1', '--replicas=2']);
    const replicaSets = `/apis/apps/v1/namespaces/${namespace}/replicasets`;
    const owned = async () => {
      const list = JSON.parse((await apiRequest(testRestConfig(), 'GET', replicaSets)).body) as {
        items: { metadata: { ownerReferences?: { kind: string; name: string }[] }; spec: { replicas: number } }[];
      };
      return list.items.filter((rs) =>
        rs.metadata.ownerReferences?.some((ref) => ref.kind === 'Deployment' && ref.name === 'web'),
      );
    };
    await pollUntil(async () => (await owned()).length === 1, {
      timeoutMs: 30_000,
      intervalMs: 250,
      describe: () => 'no ReplicaSet for the Deployment',
    });
    expect((await owned())[0].spec.replicas).toBe(2);
  });
});
