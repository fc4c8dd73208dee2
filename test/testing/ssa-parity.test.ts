/**
 * The fake client's server-side apply against the apiserver's: one sequence of creates, applies
 * by several field managers (conflict, shared value, force, dropped fields, keyed list items),
 * patches and status applies runs on the shared control plane and on the fake; after every step
 * the objects (labels, spec, status) and their managedFields (without times) must be equal, and
 * a refused step must be refused the same way.
 */
import type { V1Deployment, V1ManagedFieldsEntry, V1ObjectMeta } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { installCRDDocuments } from '../../src/envtest/crds.js';
import { ApiError } from '../../src/runtime/client/index.js';
import { defineKind, Deployment, newClient, type Client } from '../../src/runtime/index.js';
import { newFakeClient } from '../../src/testing/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';

interface Gadget {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec?: {
    size?: number;
    color?: string;
    tags?: string[];
    ports?: { name: string; port?: number }[];
    extra?: Record<string, string>;
  };
  status?: { phase?: string };
}

const GadgetKind = defineKind<Gadget>({
  group: 'ssa.kubeforge.io',
  version: 'v1',
  kind: 'Gadget',
  plural: 'gadgets',
  namespaced: true,
});

const gadgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.ssa.kubeforge.io' },
  spec: {
    group: 'ssa.kubeforge.io',
    names: { kind: 'Gadget', plural: 'gadgets', singular: 'gadget', listKind: 'GadgetList' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  size: { type: 'integer' },
                  color: { type: 'string' },
                  tags: { type: 'array', items: { type: 'string' } },
                  ports: {
                    type: 'array',
                    'x-kubernetes-list-type': 'map',
                    'x-kubernetes-list-map-keys': ['name'],
                    items: {
                      type: 'object',
                      required: ['name'],
                      properties: { name: { type: 'string' }, port: { type: 'integer' } },
                    },
                  },
                  extra: { type: 'object', additionalProperties: { type: 'string' } },
                },
              },
              status: { type: 'object', properties: { phase: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

type Step = (client: Client, namespace: string) => Promise<Gadget>;

const gadget = (
  namespace: string,
  name: string,
  rest: Omit<Gadget, 'metadata'> & { labels?: Record<string, string>; finalizers?: string[] },
) => {
  const { labels, finalizers, ...body } = rest;
  return {
    apiVersion: 'ssa.kubeforge.io/v1',
    kind: 'Gadget',
    metadata: { name, namespace, ...(labels ? { labels } : {}), ...(finalizers ? { finalizers } : {}) },
    ...body,
  } as Gadget;
};
const apply =
  (manager: string, body: Parameters<typeof gadget>[2], force = false, name = 'g'): Step =>
  (client, namespace) =>
    client.apply(GadgetKind, gadget(namespace, name, body), { fieldManager: manager, force });

const steps: [string, Step][] = [
  [
    'create by an Update manager',
    (client, namespace) =>
      client.create(GadgetKind, gadget(namespace, 'g', { labels: { a: '1' }, spec: { size: 1, extra: { x: 'y' } } }), {
        fieldManager: 'creator',
      }),
  ],
  [
    'alice applies labels, a scalar, an atomic list and a keyed list item',
    apply('alice', { labels: { b: '2' }, spec: { color: 'red', tags: ['t1'], ports: [{ name: 'http', port: 80 }] } }),
  ],
  ['bob changes a field creator owns: conflict', apply('bob', { spec: { size: 2 } })],
  ['bob applies the value alice owns: shared', apply('bob', { spec: { color: 'red' } })],
  ['bob forces the conflicting field', apply('bob', { spec: { size: 3, color: 'red' } }, true)],
  [
    'alice stops applying color (bob keeps it) and tags (removed)',
    apply('alice', { labels: { b: '2' }, spec: { ports: [{ name: 'http', port: 80 }] } }),
  ],
  [
    'alice adds a keyed list item',
    apply('alice', {
      labels: { b: '2' },
      spec: {
        ports: [
          { name: 'http', port: 80 },
          { name: 'https', port: 443 },
        ],
      },
    }),
  ],
  ['carol adds her own list item', apply('carol', { spec: { ports: [{ name: 'grpc', port: 90 }] } })],
  ['carol changes alice’s list item: conflict', apply('carol', { spec: { ports: [{ name: 'http', port: 8080 }] } })],
  [
    'a merge patch takes fields over',
    (client, namespace) =>
      client.patch(
        GadgetKind,
        { namespace, name: 'g' },
        { type: 'merge', body: { spec: { color: 'blue', extra: { z: 'q' } } } },
        { fieldManager: 'patcher' },
      ),
  ],
  [
    'alice applies status',
    (client, namespace) =>
      client.status().apply(GadgetKind, gadget(namespace, 'g', { status: { phase: 'Ready' } }), {
        fieldManager: 'alice',
      }),
  ],
  ['carol applies nothing: her item goes', apply('carol', {})],
  ['alice applies nothing: her label and items go', apply('alice', {})],
  ['an apply creates an object', apply('alice', { labels: { a: 'x' }, spec: { size: 5 } }, false, 'fresh')],
  ['its only manager applies nothing: the object empties', apply('alice', {}, false, 'fresh')],
  [
    'two managers add finalizers (a set list)',
    async (client, namespace) => {
      await apply('one', { finalizers: ['example.com/one'] }, false, 'fresh')(client, namespace);
      return apply('two', { finalizers: ['example.com/two'], labels: { t: '2' } }, false, 'fresh')(client, namespace);
    },
  ],
  ['one drops its finalizer', apply('one', {}, false, 'fresh')],
  ['two drops its finalizer', apply('two', {}, false, 'fresh')],
  ['two conflicts with two managers', apply('dave', { spec: { size: 9, color: 'green' } })],
  [
    'an update takes a field over and drops one',
    async (client, namespace) => {
      const current = (await client.get(GadgetKind, { namespace, name: 'g' }))!;
      const { extra: _extra, ...spec } = current.spec!;
      return client.update(GadgetKind, { ...current, spec: { ...spec, size: 4 } }, { fieldManager: 'updater' });
    },
  ],
  [
    'a status merge patch by another manager',
    (client, namespace) =>
      client.status().patch(
        GadgetKind,
        { namespace, name: 'g' },
        { type: 'merge', body: { status: { phase: 'Done' } } },
        {
          fieldManager: 'statuser',
        },
      ),
  ],
];

/** What must match: the object's content and who owns what, without times and server-set values. */
function comparable(result: Gadget | ApiError) {
  if (result instanceof ApiError)
    return { status: result.status, reason: result.reason, message: result.body?.message };
  const managedFields = (result.metadata?.managedFields ?? [])
    .map(({ manager, operation, subresource, apiVersion, fieldsType, fieldsV1 }: V1ManagedFieldsEntry) => ({
      manager,
      operation,
      subresource,
      apiVersion,
      fieldsType,
      fieldsV1,
    }))
    .sort((a, b) =>
      `${a.manager}/${a.operation}/${a.subresource}`.localeCompare(`${b.manager}/${b.operation}/${b.subresource}`),
    );
  const { labels, finalizers } = result.metadata ?? {};
  return { labels, finalizers, spec: result.spec, status: result.status, managedFields };
}

function rethrowUnlessApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  throw e;
}

async function run(client: Client, namespace: string) {
  const results: ReturnType<typeof comparable>[] = [];
  for (const [, step] of steps) {
    results.push(
      comparable(
        await step(client, namespace).catch((e: unknown) => {
          if (e instanceof ApiError) return e;
          throw e;
        }),
      ),
    );
  }
  return results;
}

describe('server-side apply: fake client and apiserver', () => {
  let real: ReturnType<typeof comparable>[];
  let fake: ReturnType<typeof comparable>[];

  beforeAll(async () => {
    await installCRDDocuments(testRestConfig(), [gadgetCrd as never]);
    const client = newClient(testRestConfig());
    try {
      real = await run(client, await createTestNamespace('ssa'));
    } finally {
      client.close();
    }
    const fakeClient = newFakeClient([], {
      listTypes: [{ kind: GadgetKind, path: 'spec.ports', listType: { type: 'map', keys: ['name'] } }],
    });
    fake = await run(fakeClient, 'ns');
  });

  it.each(steps.map(([name], index) => [name, index] as const))('%s', (_name, index) => {
    expect(fake[index]).toEqual(real[index]);
  });
});

/** A Deployment's containers are a list keyed by name on the apiserver; the fake knows it without declaring. */
describe('server-side apply of a core kind with keyed lists: fake client and apiserver', () => {
  const deployment = (namespace: string, spec: object) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace },
    spec,
  });
  const containers = (...list: object[]) => ({ template: { spec: { containers: list } } });
  const applyDeployment =
    (manager: string, spec: object, force = false) =>
    (client: Client, namespace: string) =>
      client.apply(Deployment, deployment(namespace, spec) as V1Deployment, { fieldManager: manager, force });
  const deploymentSteps: [string, (client: Client, namespace: string) => Promise<V1Deployment>][] = [
    [
      'alice creates it by apply',
      applyDeployment('alice', {
        replicas: 1,
        selector: { matchLabels: { app: 'd' } },
        template: {
          metadata: { labels: { app: 'd' } },
          spec: { containers: [{ name: 'app', image: 'nginx:1', env: [{ name: 'A', value: '1' }] }] },
        },
      }),
    ],
    ['bob adds a sidecar container', applyDeployment('bob', containers({ name: 'sidecar', image: 'busybox:1' }))],
    [
      'bob changes the image alice owns: conflict',
      applyDeployment('bob', containers({ name: 'app', image: 'nginx:2' })),
    ],
    [
      'bob adds an env var to alice’s container',
      applyDeployment(
        'bob',
        containers({ name: 'sidecar', image: 'busybox:1' }, { name: 'app', env: [{ name: 'B', value: '2' }] }),
      ),
    ],
    ['bob applies nothing: his container and env var go', applyDeployment('bob', {})],
  ];
  const view = (result: V1Deployment | ApiError) =>
    result instanceof ApiError
      ? comparable(result)
      : {
          containers: result.spec?.template.spec?.containers.map(({ name, image, env }) => ({ name, image, env })),
          // kube-controller-manager writes the status of the real one: not the fake's business.
          managedFields: (comparable(result as Gadget).managedFields ?? []).filter(
            (m) => m.manager !== 'kube-controller-manager',
          ),
        };
  const runDeployment = async (client: Client, namespace: string) => {
    const results: ReturnType<typeof view>[] = [];
    for (const [, step] of deploymentSteps)
      results.push(view(await step(client, namespace).catch((e: unknown) => rethrowUnlessApiError(e))));
    return results;
  };
  let real: ReturnType<typeof view>[];
  let fake: ReturnType<typeof view>[];

  beforeAll(async () => {
    const client = newClient(testRestConfig());
    try {
      real = await runDeployment(client, await createTestNamespace('ssa-deploy'));
    } finally {
      client.close();
    }
    fake = await runDeployment(newFakeClient(), 'ns');
  });

  it.each(deploymentSteps.map(([name], index) => [name, index] as const))('%s', (_name, index) => {
    expect(fake[index]).toEqual(real[index]);
  });
});
