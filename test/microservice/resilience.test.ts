/**
 * The MicroService operator under the things that happen to real operators: hand edits and
 * deletions of what it owns, pods becoming ready (status follows), secrets that must never leak
 * into logs, events or status, and a restart in the middle of a change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Deployment, EventV1, findStatusCondition, Service, type DirectClient } from '../../src/runtime/index.js';
import { createTestNamespace } from '../support/cluster.js';
import { markPodsReady } from '../../scripts/demo/index.js';
import {
  microService,
  MicroServiceKind,
  prepareCluster,
  startOperator,
  until,
  type RunningOperator,
} from './operator.js';

const SECRET_VALUE = 's3cr3t-Value-0f-the-test';

describe('MicroService operator resilience', () => {
  let client: DirectClient;
  let namespace: string;
  let operator: RunningOperator;
  const logs: string[] = [];

  beforeAll(async () => {
    client = await prepareCluster();
    namespace = await createTestNamespace('msvc-res');
    operator = await startOperator(namespace, logs);
    await client.create(
      MicroServiceKind,
      microService(namespace, 'api', {
        image: 'registry.example.com/api:2.0',
        replicas: 2,
        ports: [{ name: 'http', containerPort: 8080 }],
        secretData: { DATABASE_PASSWORD: SECRET_VALUE },
        config: { MODE: 'production' },
      }),
    );
    await until('Deployment and Service of api', async () =>
      Boolean((await client.get(Deployment, key)) && (await client.get(Service, key))),
    );
  });

  afterAll(async () => {
    await operator?.stop();
    client?.close();
  });

  const key = {
    get namespace() {
      return namespace;
    },
    name: 'api',
  };
  const get = () => client.get(MicroServiceKind, key);
  const condition = async (type: string) => findStatusCondition((await get())?.status?.conditions ?? [], type);

  it('recreates the Deployment after someone deletes it by hand', async () => {
    const before = await client.get(Deployment, key);
    await client.delete(Deployment, key);
    await until('a new Deployment', async () => {
      const after = await client.get(Deployment, key);
      return after !== undefined && after.metadata?.uid !== before?.metadata?.uid;
    });
    expect((await client.get(Deployment, key))?.spec?.template.spec?.containers[0].image).toBe(
      'registry.example.com/api:2.0',
    );
  });

  it('reverts hand edits of the fields it owns on the Deployment and the Service', async () => {
    await client.patch(Deployment, key, { type: 'merge', body: { spec: { replicas: 7, paused: true } } });
    await client.patch(Service, key, {
      type: 'json',
      operations: [{ op: 'replace', path: '/spec/ports/0/port', value: 9999 }],
    });
    await until('Deployment back at 2 replicas, unpaused', async () => {
      const deployment = await client.get(Deployment, key);
      return deployment?.spec?.replicas === 2 && !deployment.spec.paused;
    });
    await until(
      'Service port back at 8080',
      async () => (await client.get(Service, key))?.spec?.ports?.[0].port === 8080,
    );
  });

  it('mirrors the Deployment into status: Progressing until the pods are ready, then Available and RolloutComplete', async () => {
    await until(
      'Progressing RollingOut while no pod is ready',
      async () => (await condition('Progressing'))?.reason === 'RollingOut',
    );
    expect((await condition('Available'))?.status).not.toBe('True');

    await until(
      'two pods exist and are marked ready',
      async () => (await markPodsReady(client, namespace, 'app.kubernetes.io/instance=api')) === 2,
    );
    await until('Available', async () => (await condition('Available'))?.status === 'True', 30_000);
    await until('RolloutComplete', async () => (await condition('Progressing'))?.reason === 'RolloutComplete', 30_000);
    const status = (await get())!.status!;
    expect(status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      observedGeneration: (await get())?.metadata?.generation,
    });
    expect(await condition('Degraded')).toMatchObject({ status: 'False', reason: 'AsExpected' });
  });

  it('reports a missing secretRefs Secret as Degraded with reason SecretNotFound', async () => {
    await client.patch(MicroServiceKind, key, { type: 'merge', body: { spec: { secretRefs: ['does-not-exist'] } } });
    await until('Degraded SecretNotFound', async () => (await condition('Degraded'))?.reason === 'SecretNotFound');
    expect((await condition('Degraded'))?.message).toBe(
      `secretRefs: Secret ${namespace}/does-not-exist does not exist`,
    );
    await client.patch(MicroServiceKind, key, { type: 'merge', body: { spec: { secretRefs: null } } });
    await until('Degraded cleared', async () => (await condition('Degraded'))?.status === 'False');
  });

  it('reports a child the apiserver rejects as Degraded InvalidSpec, and recovers when the spec is fixed', async () => {
    const resources = (limit: string) => ({ resources: { requests: { cpu: '2' }, limits: { cpu: limit } } });
    await client.patch(MicroServiceKind, key, { type: 'merge', body: { spec: resources('1') } });
    await until('Degraded InvalidSpec', async () => (await condition('Degraded'))?.reason === 'InvalidSpec');
    expect((await condition('Degraded'))?.message).toMatch(
      /Deployment.*is invalid.*must be less than or equal to cpu limit/,
    );

    await client.patch(MicroServiceKind, key, { type: 'merge', body: { spec: resources('2') } });
    await until('Degraded cleared', async () => (await condition('Degraded'))?.status === 'False');
    const container = (await client.get(Deployment, key))?.spec?.template.spec?.containers[0];
    expect(container?.resources).toEqual({ requests: { cpu: '2' }, limits: { cpu: '2' } });
  });

  it('converges after a restart in the middle of a change', async () => {
    await operator.stop();
    await client.patch(MicroServiceKind, key, {
      type: 'merge',
      body: { spec: { image: 'registry.example.com/api:2.1', replicas: 3 } },
    });
    await client.delete(Service, key);

    operator = await startOperator(namespace, logs);
    await until('Deployment on 2.1 with 3 replicas and the Service back', async () => {
      const deployment = await client.get(Deployment, key);
      return (
        deployment?.spec?.replicas === 3 &&
        deployment.spec.template.spec?.containers[0].image === 'registry.example.com/api:2.1' &&
        (await client.get(Service, key)) !== undefined
      );
    });
    await until('revision 2 recorded once', async () => (await get())?.status?.revision === 2);
    expect((await get())?.status?.history?.map((entry) => entry.image)).toEqual([
      'registry.example.com/api:2.0',
      'registry.example.com/api:2.1',
    ]);
  });

  it('never writes a secret value to a log line, an event or the status', async () => {
    const encoded = Buffer.from(SECRET_VALUE).toString('base64');
    expect(logs.length).toBeGreaterThan(20);
    expect(logs.some((line) => line.includes('"reconciled MicroService"'))).toBe(true);
    expect(logs.filter((line) => line.includes(SECRET_VALUE) || line.includes(encoded))).toEqual([]);
    const events = await client.list(EventV1, { namespace });
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain(SECRET_VALUE);
    expect(JSON.stringify((await get())?.status)).not.toContain(SECRET_VALUE);
  });
});
