/**
 * The MicroService operator's main job on a real apiserver with kube-controller-manager: create
 * the children, scale, upgrade, roll back, roll pods on config changes, clean up on deletion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigMap,
  Deployment,
  findStatusCondition,
  Ingress,
  Secret,
  Service,
  type DirectClient,
} from '../../src/runtime/index.js';
import { CONFIG_HASH_ANNOTATION } from '../../examples/microservice-operator/src/controllers/microservice/children.js';
import { FINALIZER } from '../../examples/microservice-operator/src/controllers/microservice.controller.js';
import { createTestNamespace, kubectl } from '../support/cluster.js';
import {
  eventReasons,
  microService,
  MicroServiceKind,
  prepareCluster,
  startOperator,
  until,
  type RunningOperator,
} from './operator.js';

describe('MicroService operator lifecycle', () => {
  let client: DirectClient;
  let namespace: string;
  let operator: RunningOperator;

  beforeAll(async () => {
    client = await prepareCluster();
    namespace = await createTestNamespace('msvc-life');
    operator = await startOperator(namespace);
  });

  afterAll(async () => {
    await operator?.stop();
    client?.close();
  });

  const get = (name: string) => client.get(MicroServiceKind, { namespace, name });
  const image = async (name: string) =>
    (await client.get(Deployment, { namespace, name }))?.spec?.template.spec?.containers[0].image;
  const patchSpec = (name: string, spec: object) =>
    client.patch(MicroServiceKind, { namespace, name }, { type: 'merge', body: { spec } });

  it('creates Deployment, Service, ConfigMap, Secret and Ingress, each controlled by the MicroService', async () => {
    const created = await client.create(
      MicroServiceKind,
      microService(namespace, 'shop', {
        image: 'registry.example.com/shop:1.0',
        replicas: 2,
        ports: [{ name: 'http', containerPort: 8080, servicePort: 80 }],
        config: { GREETING: 'hello' },
        secretData: { API_TOKEN: 'not-logged' },
        ingress: { host: 'shop.example.com', path: '/api' },
      }),
    );
    const key = { namespace, name: 'shop' };
    await until('all five children', async () =>
      (
        await Promise.all([
          client.get(Deployment, key),
          client.get(Service, key),
          client.get(Ingress, key),
          client.get(ConfigMap, { namespace, name: 'shop-config' }),
          client.get(Secret, { namespace, name: 'shop-secret' }),
        ])
      ).every(Boolean),
    );

    const deployment = (await client.get(Deployment, key))!;
    const container = deployment.spec!.template.spec!.containers[0];
    expect(deployment.spec?.replicas).toBe(2);
    expect(container.image).toBe('registry.example.com/shop:1.0');
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(container.envFrom).toEqual([
      { configMapRef: { name: 'shop-config' } },
      { secretRef: { name: 'shop-secret' } },
    ]);
    expect(deployment.spec?.template.metadata?.annotations?.[CONFIG_HASH_ANNOTATION]).toMatch(/^[0-9a-f]{16}$/);
    const service = (await client.get(Service, key))!;
    expect(service.spec?.ports).toMatchObject([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    expect(service.spec?.selector).toEqual(deployment.spec?.selector.matchLabels);
    const ingress = (await client.get(Ingress, key))!;
    expect(ingress.spec?.rules?.[0]).toMatchObject({
      host: 'shop.example.com',
      http: {
        paths: [{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'shop', port: { name: 'http' } } } }],
      },
    });
    expect((await client.get(ConfigMap, { namespace, name: 'shop-config' }))?.data).toEqual({ GREETING: 'hello' });
    const secret = (await client.get(Secret, { namespace, name: 'shop-secret' }))!;
    expect(Buffer.from(secret.data!.API_TOKEN, 'base64').toString()).toBe('not-logged');

    for (const child of [deployment, service, ingress, secret]) {
      expect(child.metadata?.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'MicroService', name: 'shop', uid: created.metadata?.uid, controller: true }),
      ]);
    }
    await until('status with revision 1 and url', async () => (await get('shop'))?.status?.revision === 1);
    const status = (await get('shop'))!.status!;
    expect(status).toMatchObject({ currentImage: 'registry.example.com/shop:1.0', url: 'http://shop.example.com/api' });
    expect(status.selector).toBe('app.kubernetes.io/name=microservice,app.kubernetes.io/instance=shop');
    expect((await get('shop'))?.metadata?.finalizers).toEqual([FINALIZER]);
  });

  it('scales through spec.replicas and through kubectl scale on the scale subresource', async () => {
    await patchSpec('shop', { replicas: 3 });
    await until(
      'Deployment at 3 replicas',
      async () => (await client.get(Deployment, { namespace, name: 'shop' }))?.spec?.replicas === 3,
    );

    await kubectl(['scale', '-n', namespace, 'msvc/shop', '--replicas=5']);
    await until(
      'Deployment at 5 replicas',
      async () => (await client.get(Deployment, { namespace, name: 'shop' }))?.spec?.replicas === 5,
    );
    // kube-controller-manager creates the pods; the status mirrors what the Deployment reports.
    await until('status.replicas 5', async () => (await get('shop'))?.status?.replicas === 5);
    expect((await get('shop'))?.spec.replicas).toBe(5);
    expect(await eventReasons(client, namespace, 'shop')).toContain('Scaled');
  });

  it('upgrades the image as a new revision and grows the history', async () => {
    await patchSpec('shop', { image: 'registry.example.com/shop:1.1' });
    await until('Deployment runs 1.1', async () => (await image('shop')) === 'registry.example.com/shop:1.1');
    await until('revision 2', async () => (await get('shop'))?.status?.revision === 2);
    const status = (await get('shop'))!.status!;
    expect(status.history?.map((entry) => [entry.revision, entry.image])).toEqual([
      [1, 'registry.example.com/shop:1.0'],
      [2, 'registry.example.com/shop:1.1'],
    ]);
    expect(status.currentImage).toBe('registry.example.com/shop:1.1');
    await until('Upgraded event', async () => (await eventReasons(client, namespace, 'shop')).includes('Upgraded'));
  });

  it('rolls back to an earlier revision: restores its image, records a new revision, clears rollbackTo', async () => {
    await patchSpec('shop', { rollbackTo: 1 });
    await until('Deployment back on 1.0', async () => (await image('shop')) === 'registry.example.com/shop:1.0');
    await until('revision 3', async () => (await get('shop'))?.status?.revision === 3);
    const rolledBack = (await get('shop'))!;
    expect(rolledBack.spec.rollbackTo).toBeUndefined();
    expect(rolledBack.spec.image).toBe('registry.example.com/shop:1.0');
    expect(rolledBack.status?.history?.at(-1)).toMatchObject({ revision: 3, image: 'registry.example.com/shop:1.0' });
    await until('RolledBack event', async () => (await eventReasons(client, namespace, 'shop')).includes('RolledBack'));
  });

  it('marks the MicroService Degraded when rollbackTo names a revision it does not have, and keeps running', async () => {
    await patchSpec('shop', { rollbackTo: 42 });
    await until('Degraded RevisionNotFound', async () => {
      const degraded = findStatusCondition((await get('shop'))?.status?.conditions ?? [], 'Degraded');
      return degraded?.status === 'True' && degraded.reason === 'RevisionNotFound';
    });
    const degraded = findStatusCondition((await get('shop'))!.status!.conditions!, 'Degraded')!;
    expect(degraded.message).toBe('rollbackTo 42: no such revision in status.history (known: 1, 2, 3)');
    expect(await image('shop')).toBe('registry.example.com/shop:1.0');

    await patchSpec('shop', { rollbackTo: null });
    await until('Degraded cleared', async () => {
      const condition = findStatusCondition((await get('shop'))?.status?.conditions ?? [], 'Degraded');
      return condition?.status === 'False';
    });
  });

  it('rolls the pods when config changes: the pod template hash changes', async () => {
    const hashOf = async () =>
      (await client.get(Deployment, { namespace, name: 'shop' }))?.spec?.template.metadata?.annotations?.[
        CONFIG_HASH_ANNOTATION
      ];
    const before = await hashOf();
    await patchSpec('shop', { config: { GREETING: 'bonjour' } });
    await until('new config hash', async () => (await hashOf()) !== before);
    expect((await client.get(ConfigMap, { namespace, name: 'shop-config' }))?.data).toEqual({ GREETING: 'bonjour' });
    await until(
      'ConfigChanged revision',
      async () => (await get('shop'))?.status?.history?.at(-1)?.configHash === (await hashOf()),
    );
  });

  it('deletes the Ingress when spec.ingress is removed', async () => {
    await patchSpec('shop', { ingress: null });
    await until('Ingress gone', async () => !(await client.get(Ingress, { namespace, name: 'shop' })));
    await until('in-cluster url', async () => (await get('shop'))?.status?.url === `http://shop.${namespace}.svc:80`);
  });

  it('maps probes, strategy, paused, env, resources, secretRefs and volume-mounted config onto the Deployment', async () => {
    await client.create(
      MicroServiceKind,
      microService(namespace, 'full', {
        image: 'registry.example.com/full:1',
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        env: [{ name: 'LOG_LEVEL', value: 'debug' }],
        resources: { requests: { cpu: '100m', memory: '64Mi' } },
        config: { 'app.yaml': 'port: 8080' },
        configMode: 'volume',
        configMountPath: '/etc/full',
        secretRefs: ['shared-credentials'],
        strategy: { maxSurge: '50%', maxUnavailable: 0 },
        paused: true,
        probes: { readiness: { path: '/ready', port: 8080 }, liveness: { path: '/live', port: 8080 } },
      }),
    );
    const key = { namespace, name: 'full' };
    await until('Deployment of full', async () => (await client.get(Deployment, key)) !== undefined);
    const spec = (await client.get(Deployment, key))!.spec!;
    const container = spec.template.spec!.containers[0];
    expect(spec.paused).toBe(true);
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%', maxUnavailable: 0 } });
    expect(container.env).toEqual([{ name: 'LOG_LEVEL', value: 'debug' }]);
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '64Mi' } });
    expect(container.envFrom).toEqual([{ secretRef: { name: 'shared-credentials' } }]);
    expect(container.volumeMounts).toEqual([{ name: 'config', mountPath: '/etc/full', readOnly: true }]);
    expect(spec.template.spec!.volumes).toMatchObject([{ name: 'config', configMap: { name: 'full-config' } }]);
    expect(container.readinessProbe?.httpGet).toMatchObject({ path: '/ready', port: 8080 });
    expect(container.livenessProbe?.httpGet).toMatchObject({ path: '/live', port: 8080 });
    await until('Progressing Paused', async () =>
      Boolean((await get('full'))?.status?.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'Paused')),
    );
  });

  it('on deletion runs the finalizer (Ingress first, event recorded), then garbage collection removes the children', async () => {
    await client.create(
      MicroServiceKind,
      microService(namespace, 'doomed', {
        image: 'nginx:1.27',
        ports: [{ name: 'http', containerPort: 80 }],
        config: { A: '1' },
        secretData: { B: '2' },
        ingress: { host: 'doomed.example.com' },
      }),
    );
    const key = { namespace, name: 'doomed' };
    await until(
      'children of doomed',
      async () => Boolean(await client.get(Ingress, key)) && Boolean(await client.get(Deployment, key)),
    );

    await client.delete(MicroServiceKind, key);
    await until('MicroService gone', async () => !(await client.get(MicroServiceKind, key)), 30_000);
    expect(await client.get(Ingress, key)).toBeUndefined();
    expect(await eventReasons(client, namespace, 'doomed')).toEqual(expect.arrayContaining(['Deleted', 'CleanedUp']));
    await until(
      'garbage collection of Deployment, Service, ConfigMap and Secret',
      async () =>
        (
          await Promise.all([
            client.get(Deployment, key),
            client.get(Service, key),
            client.get(ConfigMap, { namespace, name: 'doomed-config' }),
            client.get(Secret, { namespace, name: 'doomed-secret' }),
          ])
        ).every((child) => child === undefined),
      60_000,
    );
  });
});
