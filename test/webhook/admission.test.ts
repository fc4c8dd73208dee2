import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, newClient, type DirectClient } from '../../src/runtime/index.js';
import { metricsRegistry } from '../../src/runtime/metrics/index.js';
import {
  ValidationError,
  webhookFor,
  type LocalWebhooks,
  type WebhookServer,
} from '../../src/runtime/webhook/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { until, type RunningManager } from '../runtime/harness.js';
import {
  createReturningWarnings,
  gadgetKinds,
  registerGadgetWebhooks,
  installGadgetCrd,
  startWebhookManager,
  writeServingCertificates,
  type GadgetV1,
} from './harness.js';

const GROUP = 'admission.webhooks.kubeforge.io';
const { v1: GadgetKind } = gadgetKinds(GROUP);

let client: DirectClient;
let running: RunningManager;
let server: WebhookServer;
let registration: LocalWebhooks;
let namespace: string;
let handled = 0;

async function rejectionOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

beforeAll(async () => {
  client = newClient(testRestConfig());
  await installGadgetCrd(client, GROUP);
  const certs = await writeServingCertificates();
  ({ running, server } = await startWebhookManager(
    certs.dir,
    (mgr) => {
      webhookFor(mgr, GadgetKind)
        .withDefaulter({
          default(gadget: GadgetV1) {
            handled++;
            gadget.spec = { size: 1, color: 'blue', ...gadget.spec };
          },
        })
        .withValidator({
          async validateCreate(gadget: GadgetV1) {
            const { size = 0, color } = gadget.spec ?? {};
            if (color === 'explode') throw new TypeError('cannot read the paint bucket');
            if (color === 'slow') await new Promise((resolve) => setTimeout(resolve, 3000));
            if (size > 10) throw new ValidationError('spec.size', 'must be at most 10');
            return color === 'neon' ? ['spec.color: neon fades in sunlight'] : [];
          },
          validateUpdate(oldGadget: GadgetV1, newGadget: GadgetV1) {
            if (oldGadget.spec?.color !== newGadget.spec?.color) {
              throw new ValidationError('spec.color', `is immutable (was ${oldGadget.spec?.color})`);
            }
          },
          validateDelete(gadget: GadgetV1) {
            if (gadget.spec?.protected)
              throw new ValidationError('spec.protected', 'is true: unprotect it before deleting');
          },
        })
        .complete();
    },
    { timeoutMs: 1000 },
  ));
  registration = await registerGadgetWebhooks(client, server, certs.ca.cert, GadgetKind);
  namespace = await createTestNamespace('webhook-admission');
  await until('the apiserver to call the webhooks', async () => {
    const probe = await client.create(GadgetKind, { metadata: { name: 'probe', namespace } }, { dryRun: true });
    return probe.spec?.size === 1;
  });
});

afterAll(async () => {
  await registration?.unregister();
  await running?.stop();
});

describe('admission webhooks called by the apiserver', () => {
  it('returns a created object with its missing fields defaulted', async () => {
    const created = await client.create(GadgetKind, { metadata: { name: 'plain', namespace }, spec: { color: 'red' } });
    expect(created.spec).toEqual({ size: 1, color: 'red' });
    expect((await client.get(GadgetKind, { namespace, name: 'plain' }))?.spec).toEqual({ size: 1, color: 'red' });
  });

  it('rejects an invalid object with our message and field path', async () => {
    const error = await rejectionOf(
      client.create(GadgetKind, { metadata: { name: 'huge', namespace }, spec: { size: 11 } }),
    );
    expect(error.status).toBe(422);
    expect(error.message).toContain('denied the request: Gadget "huge" is invalid: spec.size: must be at most 10');
    expect(await client.get(GadgetKind, { namespace, name: 'huge' })).toBeUndefined();
  });

  it('rejects an update that changes an immutable field', async () => {
    const gadget = await client.create(GadgetKind, {
      metadata: { name: 'fixed', namespace },
      spec: { color: 'green' },
    });
    const error = await rejectionOf(client.update(GadgetKind, { ...gadget, spec: { ...gadget.spec, color: 'pink' } }));
    expect(error.message).toContain('spec.color: is immutable (was green)');
    const resized = await client.update(GadgetKind, { ...gadget, spec: { ...gadget.spec, size: 5 } });
    expect(resized.spec).toEqual({ size: 5, color: 'green' });
  });

  it('lets a delete validator deny the delete', async () => {
    await client.create(GadgetKind, { metadata: { name: 'guarded', namespace }, spec: { protected: true } });
    const error = await rejectionOf(client.delete(GadgetKind, { namespace, name: 'guarded' }));
    expect(error.message).toContain('spec.protected: is true: unprotect it before deleting');
    expect(await client.get(GadgetKind, { namespace, name: 'guarded' })).toBeDefined();
    await client.create(GadgetKind, { metadata: { name: 'loose', namespace } });
    expect(await client.delete(GadgetKind, { namespace, name: 'loose' })).toBe(true);
  });

  it('passes validator warnings on to the client', async () => {
    const answer = await createReturningWarnings(testRestConfig(), GadgetKind, namespace, {
      metadata: { name: 'bright' },
      spec: { color: 'neon' },
    } as GadgetV1);
    expect(answer).toEqual({ status: 201, warnings: ['spec.color: neon fades in sunlight'] });
  });

  it('answers a throwing webhook with a generic error response (the reason only in the log) and keeps serving', async () => {
    const error = await rejectionOf(
      client.create(GadgetKind, { metadata: { name: 'boom', namespace }, spec: { color: 'explode' } }),
    );
    expect(error.status).toBe(500);
    expect(error.message).toMatch(
      /internal error in webhook \/validate-admission-webhooks-kubeforge-io-v1-gadget \(logged by the operator with uid [0-9a-f-]{36}\)/,
    );
    expect(error.message).not.toContain('paint bucket');
    const after = await client.create(GadgetKind, { metadata: { name: 'after-boom', namespace } });
    expect(after.spec?.size).toBe(1);
  });

  it('answers a webhook that runs past its timeout with an error', async () => {
    const error = await rejectionOf(
      client.create(GadgetKind, { metadata: { name: 'sloth', namespace }, spec: { color: 'slow' } }),
    );
    expect(error.status).toBe(504);
    expect(error.message).toContain('timed out after 1000 ms');
  });

  it('counts requests, in-flight requests and latency per webhook', async () => {
    const metrics = await metricsRegistry.metrics();
    const mutate = '/mutate-admission-webhooks-kubeforge-io-v1-gadget';
    const total = new RegExp(
      `controller_runtime_webhook_requests_total\\{webhook="${mutate}",code="200"\\} (\\d+)`,
    ).exec(metrics);
    expect(Number(total?.[1])).toBeGreaterThanOrEqual(handled);
    expect(metrics).toContain(`controller_runtime_webhook_requests_in_flight{webhook="${mutate}"} 0`);
    expect(metrics).toMatch(
      new RegExp(`controller_runtime_webhook_latency_seconds_count\\{webhook="${mutate}"\\} [1-9]`),
    );
  });
});
