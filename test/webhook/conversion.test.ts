import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, CustomResourceDefinition, newClient, type DirectClient } from '../../src/runtime/index.js';
import {
  conversionFor,
  registerLocalWebhooks,
  type LocalWebhooks,
  type WebhookServer,
} from '../../src/runtime/webhook/index.js';
import { until, type RunningManager } from '../runtime/harness.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { gadgetKinds, installGadgetCrd, startWebhookManager, writeServingCertificates } from './harness.js';

const GROUP = 'conversion.webhooks.kubeforge.io';
const { v1: GadgetV1Kind, v2: GadgetV2Kind } = gadgetKinds(GROUP);

let client: DirectClient;
let running: RunningManager;
let server: WebhookServer;
let registration: LocalWebhooks;
let crdName: string;
let namespace: string;

beforeAll(async () => {
  client = newClient(testRestConfig());
  crdName = await installGadgetCrd(client, GROUP);
  const certs = await writeServingCertificates();
  ({ running, server } = await startWebhookManager(certs.dir, (mgr) => {
    conversionFor(mgr, GadgetV1Kind)
      .spoke(GadgetV2Kind, {
        convertTo(v2) {
          if (v2.spec?.paint?.color === 'invisible') throw new Error('invisible paint has no v1 colour');
          const { replicas, paint, ...rest } = v2.spec ?? {};
          return { spec: { ...rest, size: replicas, color: paint?.color } };
        },
        convertFrom(hub) {
          const { size, color, ...rest } = hub.spec ?? {};
          return { spec: { ...rest, replicas: size, paint: { color } } };
        },
      })
      .complete();
  }));
  registration = await registerLocalWebhooks(client, {
    baseUrl: `https://127.0.0.1:${server.port}`,
    caPem: certs.ca.cert,
    configurations: [],
    conversionCrds: [crdName],
  });
  namespace = await createTestNamespace('webhook-conversion');
  await client.create(GadgetV1Kind, { metadata: { name: 'probe', namespace }, spec: { size: 1, color: 'c' } });
  await until('the apiserver to convert through the webhook', async () => {
    const probe = await client.get(GadgetV2Kind, { namespace, name: 'probe' });
    return probe?.spec?.replicas === 1;
  });
});

afterAll(async () => {
  await registration?.unregister();
  await running?.stop();
});

describe('conversion webhook called by the apiserver', () => {
  it('reads an object created as v1 as v2 and back, data and metadata intact', async () => {
    await client.create(GadgetV1Kind, {
      metadata: { name: 'round-trip', namespace, labels: { team: 'a' }, annotations: { note: 'x' } },
      spec: { size: 3, color: 'red', protected: true },
    });
    const asV2 = await client.get(GadgetV2Kind, { namespace, name: 'round-trip' });
    expect(asV2?.apiVersion).toBe(`${GROUP}/v2`);
    expect(asV2?.spec).toEqual({ replicas: 3, paint: { color: 'red' }, protected: true });
    expect(asV2?.metadata?.labels).toEqual({ team: 'a' });

    const updated = await client.update(GadgetV2Kind, { ...asV2!, spec: { ...asV2!.spec, replicas: 4 } });
    expect(updated.spec).toEqual({ replicas: 4, paint: { color: 'red' }, protected: true });
    const asV1 = await client.get(GadgetV1Kind, { namespace, name: 'round-trip' });
    expect(asV1?.spec).toEqual({ size: 4, color: 'red', protected: true });
    expect(asV1?.metadata?.annotations).toEqual({ note: 'x' });
    expect(asV1?.metadata?.uid).toBe(asV2?.metadata?.uid);
  });

  it('converts every item of a list', async () => {
    for (const size of [5, 6]) {
      await client.create(GadgetV2Kind, {
        metadata: { name: `listed-${size}`, namespace },
        spec: { replicas: size, paint: { color: 'blue' } },
      });
    }
    const listed = await client.list(GadgetV1Kind, { namespace });
    const byName = Object.fromEntries(listed.map((gadget) => [gadget.metadata?.name, gadget.spec]));
    expect(byName['listed-5']).toEqual({ size: 5, color: 'blue' });
    expect(byName['listed-6']).toEqual({ size: 6, color: 'blue' });
  });

  it('fails the request with the converter’s message when conversion throws', async () => {
    const error = await client
      .create(GadgetV2Kind, {
        metadata: { name: 'ghost', namespace },
        spec: { replicas: 1, paint: { color: 'invisible' } },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toContain('invisible paint has no v1 colour');
  });

  it('stores objects in the hub (storage) version, whichever version they were written in', async () => {
    await client.create(GadgetV2Kind, {
      metadata: { name: 'stored', namespace },
      spec: { replicas: 7, paint: { color: 'teal' } },
    });
    const crd = await client.get(CustomResourceDefinition, { name: crdName });
    expect(crd?.status?.storedVersions).toEqual(['v1']);
    await registration.unregister();
    await until('conversion to be off', async () => {
      const current = await client.get(CustomResourceDefinition, { name: crdName });
      return current?.spec.conversion?.strategy === 'None';
    });
    await until('the apiserver to read without converting', async () => {
      const raw = await client.get(GadgetV1Kind, { namespace, name: 'stored' });
      return raw?.spec?.size === 7;
    });
    const raw = await client.get(GadgetV1Kind, { namespace, name: 'stored' });
    expect(raw?.spec).toEqual({ size: 7, color: 'teal' });
  });
});
