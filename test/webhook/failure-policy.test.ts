import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, newClient, type DirectClient, type ObjectKind } from '../../src/runtime/index.js';
import { webhookFor, type LocalWebhooks, type WebhookServer } from '../../src/runtime/webhook/index.js';
import { until, type RunningManager } from '../runtime/harness.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import {
  gadgetKinds,
  registerGadgetWebhooks,
  installGadgetCrd,
  startWebhookManager,
  writeServingCertificates,
  type GadgetV1,
} from './harness.js';

const { v1: FailKind } = gadgetKinds('fail.webhooks.kubeforge.io');
const { v1: IgnoreKind } = gadgetKinds('ignore.webhooks.kubeforge.io');

let client: DirectClient;
let running: RunningManager;
let server: WebhookServer;
const registrations: LocalWebhooks[] = [];
let namespace: string;

async function defaulted(kind: ObjectKind<GadgetV1>): Promise<boolean> {
  const probe = await client.create(kind, { metadata: { name: 'probe', namespace } }, { dryRun: true });
  return probe.spec?.size === 9;
}

beforeAll(async () => {
  client = newClient(testRestConfig());
  await Promise.all([installGadgetCrd(client, FailKind.group), installGadgetCrd(client, IgnoreKind.group)]);
  const certs = await writeServingCertificates();
  ({ running, server } = await startWebhookManager(certs.dir, (mgr) => {
    for (const kind of [FailKind, IgnoreKind]) {
      webhookFor(mgr, kind)
        .withDefaulter({
          default(gadget) {
            gadget.spec = { size: 9, ...gadget.spec };
          },
        })
        .complete();
    }
  }));
  for (const [kind, failurePolicy] of [
    [FailKind, 'Fail'],
    [IgnoreKind, 'Ignore'],
  ] as const) {
    registrations.push(
      await registerGadgetWebhooks(client, server, certs.ca.cert, kind, { failurePolicy, only: 'mutate' }),
    );
  }
  namespace = await createTestNamespace('webhook-failure-policy');
  await until('both webhooks to be called', async () => (await defaulted(FailKind)) && (await defaulted(IgnoreKind)));
});

afterAll(async () => {
  for (const registration of registrations) await registration.unregister();
  await running?.stop();
});

describe('failurePolicy when the webhook server is down', () => {
  it('rejects requests under Fail and admits them unchanged under Ignore', async () => {
    await running.stop();
    const error = await client.create(FailKind, { metadata: { name: 'refused', namespace } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    // A stopped server: a new connection is refused; one the apiserver kept alive from before fails on write.
    expect((error as ApiError).message).toMatch(
      /failed calling webhook .*(connection refused|write: broken pipe|connection reset by peer)/,
    );
    expect(await client.get(FailKind, { namespace, name: 'refused' })).toBeUndefined();

    const admitted = await client.create(IgnoreKind, {
      metadata: { name: 'admitted', namespace },
      spec: { color: 'x' },
    });
    expect(admitted.spec).toEqual({ color: 'x' });
  });
});
