/**
 * Secrets never leak: the MicroService operator runs as its own process with a ServiceAccount
 * token as its only credential and a webhook server (defaulting + validating MicroService) on a
 * TLS key of its own, logging at `trace`. A MicroService references a Secret and carries
 * secretData; it becomes Available, rotates its secretData, references a missing Secret, gets a
 * key the apiserver refuses, is denied by the webhook, and is deleted. Then the operator's whole
 * output (stdout and stderr, until it exits), every Event of the namespace (events.k8s.io/v1 and
 * core/v1), the MicroService's status at each step, the webhook's denial and the secure /metrics
 * endpoint's answers (to the scraper's token, and to a token it refuses) are searched for every
 * secret value: raw, JSON-escaped, base64 and base64url at any alignment, PEM lines alone.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateKubelet } from '../../scripts/demo/kubelet.js';
import { Event, EventV1, findStatusCondition, Secret, type DirectClient } from '../../src/runtime/index.js';
import type { LocalWebhooks } from '../../src/runtime/webhook/index.js';
import { microService, MicroServiceKind, prepareCluster, until } from '../microservice/operator.js';
import { createTestNamespace } from '../support/cluster.js';
import { writeServingCertificates } from '../webhook/harness.js';
import { DEFAULTED_ANNOTATION } from './fixtures/operator/src/webhook.js';
import {
  createIdentities,
  registerMicroServiceWebhooks,
  scrapeMetrics,
  startOperatorWithWebhooks,
  writeTokenKubeconfig,
  type Identities,
  type StartedOperator,
} from './operator-scenario.js';
import { scanForSecrets, secretForms } from './secret-scan.js';

const unique = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

/** What the scan covers: every secret in play, every place collected (a step that failed leaves one out). */
const SECRETS = [
  'bearer token the metrics endpoint refuses',
  'metrics TLS private key',
  'metrics scraper token',
  'referenced Secret value',
  'rotated secretData value',
  'secretData of the denied MicroService',
  'secretData value',
  'secretData value under a refused key',
  'service-account token (the kubeconfig credential)',
  'service-account token signature',
  'webhook TLS private key',
];
const SOURCES = [
  'admission denial',
  'core/v1 Events',
  'events.k8s.io/v1 Events',
  'metrics',
  'metrics answer to a refused token',
  'operator log',
  'status after the fix',
  'status after the rotation',
  'status when Available',
  'status with a missing secretRef',
  'status with a refused Secret key',
];

describe('no secret reaches logs, events, status or metrics (MicroService operator with webhooks, as a process)', () => {
  let client: DirectClient;
  let namespace: string;
  let operator: StartedOperator;
  let webhooks: LocalWebhooks | undefined;
  let identities: Identities | undefined;
  let metricsCa: string;
  const kubelet = new AbortController();
  let kubeletStopped: Promise<void> | undefined;
  /** Secret name → value; only names ever appear in a failure message. */
  const secrets: Record<string, string> = {
    'referenced Secret value': unique('referenced-db-password'),
    'secretData value': unique('secretdata-api-token'),
    'rotated secretData value': unique('rotated-api-token'),
    'secretData value under a refused key': unique('refused-key-value'),
    'secretData of the denied MicroService': unique('denied-api-token'),
    'bearer token the metrics endpoint refuses': unique('refused-bearer-token'),
  };
  /** Source name → the text collected from it. */
  const collected: Record<string, string> = {};
  /** Temporary directories: certificates, kubeconfig, bundle. */
  const directories: string[] = [];

  beforeAll(async () => {
    client = await prepareCluster();
    namespace = await createTestNamespace('secrets');
    const webhookCerts = await writeServingCertificates();
    const metricsCerts = await writeServingCertificates();
    metricsCa = metricsCerts.ca.cert;
    secrets['webhook TLS private key'] = webhookCerts.serving.key;
    secrets['metrics TLS private key'] = metricsCerts.serving.key;
    identities = await createIdentities(client, namespace);
    const token = identities.operatorToken;
    secrets['service-account token (the kubeconfig credential)'] = token;
    secrets['service-account token signature'] = token.split('.')[2];
    secrets['metrics scraper token'] = identities.scraperToken;
    const workDir = await mkdtemp(join(tmpdir(), 'kubeforge-secrets-'));
    directories.push(webhookCerts.dir, metricsCerts.dir, workDir);
    operator = await startOperatorWithWebhooks(await writeTokenKubeconfig(workDir, namespace, token), namespace, {
      webhook: webhookCerts.dir,
      metrics: metricsCerts.dir,
    });
    directories.push(operator.workDir);
    webhooks = await registerMicroServiceWebhooks(client, namespace, operator.webhookPort, webhookCerts.ca.cert);
    kubeletStopped = simulateKubelet(client, namespace, kubelet.signal);
  });

  afterAll(async () => {
    kubelet.abort();
    await kubeletStopped;
    await webhooks?.unregister();
    await operator?.process.stop();
    await identities?.remove();
    client?.close();
    for (const dir of directories) await rm(dir, { recursive: true, force: true });
  });

  const key = () => ({ namespace, name: 'payments' });
  const get = () => client.get(MicroServiceKind, key());
  const condition = async (type: string) => findStatusCondition((await get())?.status?.conditions ?? [], type);
  const patchSpec = (spec: object) => client.patch(MicroServiceKind, key(), { type: 'merge', body: { spec } });
  const reasons = async () => (await client.list(EventV1, { namespace })).map((event) => event.reason);
  const recordStatus = async (step: string) => (collected[`status ${step}`] = JSON.stringify((await get())?.status));

  it('serves the webhooks: the defaulter annotates, the validator denies an unversioned image', async () => {
    const candidate = (image: string) =>
      microService(namespace, 'probe', {
        image,
        secretData: { API_TOKEN: secrets['secretData of the denied MicroService'] },
      });
    await until('the mutating webhook to annotate a dry-run create', async () => {
      const created = await client.create(MicroServiceKind, candidate('registry.example.com/probe:1.0'), {
        dryRun: true,
      });
      return created.metadata?.annotations?.[DEFAULTED_ANNOTATION] === 'true';
    });
    let denial = '';
    await until('the validating webhook to deny an image without a version', async () => {
      denial = await client.create(MicroServiceKind, candidate('registry.example.com/probe:latest')).then(
        () => '',
        (error: Error) => error.message,
      );
      return denial.includes('spec.image: must name a version');
    });
    collected['admission denial'] = denial;
  });

  it('runs a MicroService with a referenced Secret and secretData to Available, rotates it, and deletes it', async () => {
    await client.create(Secret, {
      metadata: { namespace, name: 'shared-credentials' },
      stringData: { DB_PASSWORD: secrets['referenced Secret value'] },
    });
    await client.create(
      MicroServiceKind,
      microService(namespace, 'payments', {
        image: 'registry.example.com/payments:3.1',
        replicas: 3,
        ports: [{ name: 'api', containerPort: 9000, servicePort: 443 }],
        config: { REGION: 'eu-west' },
        secretRefs: ['shared-credentials'],
        secretData: { API_TOKEN: secrets['secretData value'] },
        ingress: { host: 'payments.example.com' },
      }),
    );
    expect((await get())?.metadata?.annotations?.[DEFAULTED_ANNOTATION]).toBe('true');
    await until('Available', async () => (await condition('Available'))?.status === 'True', 60_000);
    await recordStatus('when Available');

    await patchSpec({ secretData: { API_TOKEN: secrets['rotated secretData value'] } });
    await until('revision 2 after the rotation', async () => (await get())?.status?.revision === 2, 30_000);
    await until('a ConfigChanged event', async () => (await reasons()).includes('ConfigChanged'));
    await recordStatus('after the rotation');

    await patchSpec({ secretRefs: ['shared-credentials', 'missing-credentials'] });
    await until('Degraded SecretNotFound', async () => (await condition('Degraded'))?.reason === 'SecretNotFound');
    await recordStatus('with a missing secretRef');
    await patchSpec({ secretRefs: ['shared-credentials'] });
    await until('SecretNotFound cleared', async () => (await condition('Degraded'))?.reason !== 'SecretNotFound');

    await patchSpec({ secretData: { 'bad key': secrets['secretData value under a refused key'] } });
    await until('Degraded InvalidSpec', async () => (await condition('Degraded'))?.reason === 'InvalidSpec');
    expect((await condition('Degraded'))?.message).toContain('bad key');
    await recordStatus('with a refused Secret key');
    await patchSpec({ secretData: { 'bad key': null } });
    await until('InvalidSpec cleared', async () => (await condition('Degraded'))?.reason !== 'InvalidSpec');
    await recordStatus('after the fix');

    await client.delete(MicroServiceKind, key());
    await until('the MicroService to be gone', async () => (await get()) === undefined, 30_000);
    await until('a CleanedUp event', async () => (await reasons()).includes('CleanedUp'));
  });

  it('collects a non-empty record: metrics, every log line until exit, Events of both APIs, status', async () => {
    const refused = await scrapeMetrics(
      operator.metricsUrl,
      metricsCa,
      secrets['bearer token the metrics endpoint refuses'],
    );
    expect(refused.status).toBe(401);
    collected['metrics answer to a refused token'] = refused.body;
    const scrape = await scrapeMetrics(operator.metricsUrl, metricsCa, identities!.scraperToken);
    expect(scrape.status).toBe(200);
    collected.metrics = scrape.body;
    expect(collected.metrics).toMatch(
      /^controller_runtime_reconcile_total\{controller="microservice-controller",result="success"\} [1-9]/m,
    );
    expect(collected.metrics).toMatch(
      /^controller_runtime_webhook_requests_total\{webhook="\/validate-[^"]+",code="200"\} [1-9]/m,
    );

    expect(await operator.process.stop()).toBe(0);
    const lines = operator.process.lines();
    collected['operator log'] = lines.join('\n');
    const messages = lines.map(
      (line) => (line.startsWith('{') ? JSON.parse(line) : {}) as { msg?: string; level?: number },
    );
    const logged = messages.map((entry) => `${entry.level} ${entry.msg}`);
    expect(logged).toContain('20 defaulted MicroService'); // a debug line: --log-level trace lets everything through
    for (const msg of [
      'webhook server listening',
      'successfully acquired lease',
      'reconciled MicroService',
      'manager stopped',
    ])
      expect(logged).toContain(`30 ${msg}`);

    const events = await client.list(EventV1, { namespace });
    const coreEvents = await client.list(Event, { namespace });
    expect(events.map((event) => event.reason)).toEqual(
      expect.arrayContaining(['Created', 'Deployed', 'ConfigChanged', 'InvalidSpec', 'Deleted', 'CleanedUp']),
    );
    expect(coreEvents.length).toBeGreaterThanOrEqual(events.length);
    collected['events.k8s.io/v1 Events'] = JSON.stringify(events);
    collected['core/v1 Events'] = JSON.stringify(coreEvents);

    expect(Object.keys(collected).filter((source) => source.startsWith('status '))).toHaveLength(5);
    expect(collected['status with a refused Secret key']).toContain('InvalidSpec');
  });

  it('finds none of the secret values in any of it, in any form', () => {
    expect(Object.keys(secrets).sort()).toEqual(SECRETS);
    expect(Object.keys(collected).sort()).toEqual(SOURCES);
    const sizes = Object.entries(collected).map(([source, text]) => `${source} ${text.length} chars`);
    console.log(`[secrets] ${SECRETS.length} secrets searched in: ${sizes.join('; ')}`);
    expect(scanForSecrets(collected, secrets)).toEqual([]);
  });

  it('finds a secret value planted in that record', () => {
    const planted = {
      ...collected,
      'operator log': `${collected['operator log']}\n${JSON.stringify({ level: 30, msg: 'loaded', key: secrets['webhook TLS private key'] })}`,
    };
    expect(scanForSecrets(planted, secrets)).toEqual([
      { source: 'operator log', secret: 'webhook TLS private key', form: 'JSON-escaped' },
      ...secretForms(secrets['webhook TLS private key'])
        .filter(({ form }) => form.startsWith('line '))
        .map(({ form }) => ({ source: 'operator log', secret: 'webhook TLS private key', form })),
    ]);
  });
});

describe('the secret scan', () => {
  const token = 'tok-0123456789abcdef0123';
  const pem = `-----BEGIN PRIVATE KEY-----\n${'A1b2C3d4'.repeat(8)}\n${'Z9y8X7w6'.repeat(8)}\n-----END PRIVATE KEY-----\n`;

  it('finds a value raw, base64 and base64url at every alignment, JSON-escaped, and one PEM line alone', () => {
    const find = (text: string) =>
      scanForSecrets({ text }, { token, pem }).map(({ secret, form }) => `${secret}: ${form}`);
    expect(find(`token=${token}`)).toEqual(['token: raw']);
    for (const prefix of ['', 'x', 'xy']) {
      const blob = Buffer.from(`${prefix}{"token":"${token}"}`).toString('base64');
      expect(
        find(blob).some((form) => form.startsWith('token: base64 (offset')),
        prefix,
      ).toBe(true);
      expect(find(blob.replaceAll('+', '-').replaceAll('/', '_')).length, prefix).toBeGreaterThan(0);
    }
    expect(find(JSON.stringify({ key: pem }))).toEqual(['pem: JSON-escaped', 'pem: line 1', 'pem: line 2']);
    expect(find(`partial: ${'Z9y8X7w6'.repeat(8)}`)).toEqual(['pem: line 2']);
  });

  it('finds nothing in text without them, and refuses values too short to search for', () => {
    expect(scanForSecrets({ text: 'BEGIN PRIVATE KEY tok-0123' }, { token, pem })).toEqual([]);
    expect(() => scanForSecrets({ text: '' }, { short: 'abc' })).toThrow('too short');
  });
});
