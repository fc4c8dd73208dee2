/**
 * The webhook configurations `kubeforge manifests` writes from `+kubebuilder:webhook` markers
 * (fixture `admission`: serviceName/serviceNamespace/servicePort, patch= with namespaceSelector,
 * objectSelector and matchConditions, +kubebuilder:webhookconfiguration) against the shared
 * kube-apiserver: both are accepted as written (matchConditions' CEL compiles), and the Pod
 * webhook's selectors keep it away from kube-system and from Pods that did not opt in.
 *
 * The Pod webhook's Service does not exist, so once the webhook is called a request fails; the
 * test registers the generated entry with failurePolicy Fail (the fixture says Ignore) to see
 * the call. Pods are created with a server dry run, so nothing is stored.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { generateManifests } from '../../src/codegen/index.js';
import { until } from '../runtime/harness.js';
import { createTestNamespace, kubectl } from '../support/cluster.js';
import { CRD_FIXTURES, FixtureProjects } from './fixture-projects.js';

type Configuration = { kind: string; metadata: { name: string }; webhooks: Record<string, unknown>[] };

const projects = new FixtureProjects();
const suffix = randomBytes(4).toString('hex');
let configurations: Configuration[];
let namespace: string;
let mutatingName: string;

/** Creates a Pod with a server dry run; resolves with kubectl's error text, or undefined when admitted. */
async function podRejection(podNamespace: string, labels: Record<string, string>): Promise<string | undefined> {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'probe', namespace: podNamespace, labels },
    spec: { automountServiceAccountToken: false, containers: [{ name: 'c', image: 'example.com/probe:1' }] },
  };
  return kubectl(['create', '--dry-run=server', '-f', '-'], { input: stringify(pod) }).then(
    () => undefined,
    (error: Error) => error.message,
  );
}

beforeAll(async () => {
  const result = await generateManifests({
    projectDir: projects.project(CRD_FIXTURES, 'admission'),
    kubeforgeVersion: '0.0.0-test',
  });
  configurations = parseAllDocuments(result.files.get('config/webhook/manifests.yaml')!).map(
    (document) => document.toJS() as Configuration,
  );
  namespace = await createTestNamespace('webhook-selectors');
});

afterAll(async () => {
  if (mutatingName) await kubectl(['delete', 'mutatingwebhookconfiguration', mutatingName, '--ignore-not-found']);
  projects.cleanup();
});

describe('generated webhook configurations on the apiserver', { timeout: 120_000 }, () => {
  it('are accepted as written (a server dry run of each)', async () => {
    expect(configurations.map((c) => [c.kind, c.metadata.name])).toEqual([
      ['MutatingWebhookConfiguration', 'pod-defaulter'],
      ['ValidatingWebhookConfiguration', 'validating-webhook-configuration'],
    ]);
    for (const configuration of configurations) {
      const renamed = { ...configuration, metadata: { name: `${configuration.metadata.name}-${suffix}` } };
      await kubectl(['create', '--dry-run=server', '-f', '-'], { input: stringify(renamed) });
    }
  });

  it('keeps the Pod webhook out of kube-system and off Pods without the opt-in label (namespaceSelector, objectSelector from patch=)', async () => {
    const mutating = configurations.find((c) => c.kind === 'MutatingWebhookConfiguration')!;
    mutatingName = `pod-defaulter-${suffix}`;
    const registered = {
      ...mutating,
      metadata: { name: mutatingName },
      webhooks: mutating.webhooks.map((webhook) => ({ ...webhook, failurePolicy: 'Fail' })),
    };
    await kubectl(['create', '-f', '-'], { input: stringify(registered) });
    const optedIn = { 'admission.example.com/defaulting': 'enabled' };

    let rejection: string | undefined;
    await until('the Pod webhook to be called for an opted-in Pod', async () => {
      rejection = await podRejection(namespace, optedIn);
      return rejection !== undefined;
    });
    expect(rejection).toContain('mpod.admission.example.com');

    expect(await podRejection('kube-system', optedIn)).toBeUndefined();
    expect(await podRejection(namespace, {})).toBeUndefined();
  });
});
