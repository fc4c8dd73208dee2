/**
 * One update event, one reconcile, on the shared apiserver — as controller-runtime's handlers:
 * the old and the new object of an update map to the same key, which is queued once (for the
 * object itself, for its owner, and for a map function). "No second reconcile" is proved by
 * order: a later, different change must be reconciled right after the first one, with nothing
 * in between. A changed owner reference reconciles both the old and the new owner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DirectClient, type KubeObject, ConfigMap, controllerFor, newClient } from '../../src/runtime/index.js';
import { Result, Secret } from '../../src/runtime/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { startManager, until, type RunningManager } from './harness.js';

let client: DirectClient;
const managers: RunningManager[] = [];

beforeAll(() => {
  client = newClient(testRestConfig(), { fieldManager: 'controller-update-once-test' });
});

afterAll(async () => {
  await Promise.all(managers.map((m) => m.stop()));
  client?.close();
});

function ownedBy(owner: KubeObject) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: owner.metadata!.name!,
    uid: owner.metadata!.uid!,
    controller: true,
  };
}

describe('one update, one reconcile', () => {
  it('reconciles an updated object once: the sequence is exactly [initial, update, later change]', async () => {
    const namespace = await createTestNamespace('update-once');
    await client.create(ConfigMap, { metadata: { namespace, name: 'cm' }, data: { v: '0' } });
    const seen: string[] = [];
    const running = await startManager(
      (mgr) =>
        controllerFor(mgr, ConfigMap)
          .named('update-once-object')
          .complete({
            async reconcile(request) {
              if (request.name === 'cm') seen.push((await mgr.client.get(ConfigMap, request))?.data?.v ?? 'gone');
              return Result.done();
            },
          }),
      { namespace },
    );
    managers.push(running);
    await until('the initial reconcile', () => seen.length === 1);

    await client.patch(ConfigMap, { namespace, name: 'cm' }, { type: 'merge', body: { data: { v: '1' } } });
    await until('the update reconciled', () => seen.includes('1'));
    await client.patch(ConfigMap, { namespace, name: 'cm' }, { type: 'merge', body: { data: { v: '2' } } });
    await until('the later change reconciled', () => seen.includes('2'));
    expect(seen).toEqual(['0', '1', '2']);
  });

  it('reconciles the owner of an updated object once, and both owners when the owner reference moves', async () => {
    const namespace = await createTestNamespace('update-once-owner');
    const first = await client.create(ConfigMap, { metadata: { namespace, name: 'first' } });
    const second = await client.create(ConfigMap, { metadata: { namespace, name: 'second' } });
    await client.create(Secret, {
      metadata: { namespace, name: 'owned', ownerReferences: [ownedBy(first)] },
      stringData: { v: '0' },
    });
    const seen: string[] = [];
    const running = await startManager(
      (mgr) =>
        controllerFor(mgr, ConfigMap)
          .named('update-once-owner')
          .owns(Secret)
          .complete({
            async reconcile(request) {
              if (request.name === 'kube-root-ca.crt') return Result.done();
              const secret = await mgr.client.get(Secret, { namespace, name: 'owned' });
              const owner = secret?.metadata?.ownerReferences?.[0]?.name;
              seen.push(`${request.name} ${owner} ${Buffer.from(secret?.data?.v ?? '', 'base64').toString()}`);
              return Result.done();
            },
          }),
      { namespace },
    );
    managers.push(running);
    await until('the initial reconciles', () => seen.length === 2);
    expect(seen.sort()).toEqual(['first first 0', 'second first 0']);
    seen.length = 0;

    await setSecret(namespace, '1');
    await until('the update reconciled', () => seen.length >= 1);
    await client.patch(
      Secret,
      { namespace, name: 'owned' },
      { type: 'merge', body: { metadata: { ownerReferences: [ownedBy(second)] }, stringData: { v: '2' } } },
    );
    await until('both owners reconciled', () => seen.length >= 3);
    await setSecret(namespace, '3');
    await until('the later change reconciled', () => seen.some((s) => s.endsWith(' 3')));
    expect(seen.slice(0, 1)).toEqual(['first first 1']);
    expect(seen.slice(1, 3).sort()).toEqual(['first second 2', 'second second 2']);
    expect(seen.slice(3)).toEqual(['second second 3']);
  });
});

function setSecret(namespace: string, v: string) {
  return client.patch(Secret, { namespace, name: 'owned' }, { type: 'merge', body: { stringData: { v } } });
}
