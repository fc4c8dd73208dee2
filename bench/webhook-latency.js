// Admission round-trip latency through the apiserver: 1000 sequential creates of a custom resource
// whose mutating and validating webhooks this process serves (HTTPS on 127.0.0.1), against 1000
// creates of the same kind in a group without webhooks; median and p99 of each, and the webhook
// server's own handling time from controller_runtime_webhook_latency_seconds.
// Run: npm run build && node bench/webhook-latency.js [requests=1000]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const requests = Number(process.argv[2] ?? 1000);
const { startControlPlane, installCRDs, createCertificateAuthority, issueCertificate } =
  await import('../dist/envtest/index.js');
const runtime = await import('../dist/runtime/index.js');
const { registerLocalWebhooks, WebhookServer, webhookFor, webhookPath } =
  await import('../dist/runtime/webhook/index.js');
const { metricsRegistry } = await import('../dist/runtime/metrics/index.js');

const plane = await startControlPlane();
try {
  const client = runtime.newClient(plane.restConfig, { qps: -1 });
  const kinds = {};
  const crdDir = mkdtempSync(join(tmpdir(), 'kubeforge-bench-crds-'));
  for (const group of ['hooked.bench.kubeforge.io', 'plain.bench.kubeforge.io']) {
    kinds[group] = runtime.defineKind({ group, version: 'v1', kind: 'Gadget', plural: 'gadgets', namespaced: true });
    const schema = {
      type: 'object',
      properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
    };
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `gadgets.${group}` },
      spec: {
        group,
        names: { kind: 'Gadget', plural: 'gadgets', singular: 'gadget', listKind: 'GadgetList' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }],
      },
    };
    writeFileSync(join(crdDir, `${group}.json`), JSON.stringify(crd));
  }
  await installCRDs(plane.restConfig, [crdDir]);
  const hooked = kinds['hooked.bench.kubeforge.io'];
  const plain = kinds['plain.bench.kubeforge.io'];

  const certDir = mkdtempSync(join(tmpdir(), 'kubeforge-bench-certs-'));
  const ca = await createCertificateAuthority('bench-ca');
  const serving = await issueCertificate(ca, { commonName: 'webhook', usage: 'server', ipAddresses: ['127.0.0.1'] });
  writeFileSync(join(certDir, 'tls.crt'), serving.cert);
  writeFileSync(join(certDir, 'tls.key'), serving.key);
  const server = new WebhookServer({
    host: '127.0.0.1',
    port: 0,
    certDir,
    logger: runtime.newLogger({ level: 'silent' }),
  });
  const host = { webhookServer: () => server };
  webhookFor(host, hooked)
    .withDefaulter({ default: (g) => void (g.spec = { size: 1, ...g.spec }) })
    .withValidator({ validateCreate: (g) => (g.spec.size > 10 ? ['large'] : []) })
    .complete();
  const stop = new AbortController();
  const serving$ = server.start(stop.signal);
  while (!(await ready(server))) await new Promise((resolve) => setTimeout(resolve, 10));
  const webhook = (type, path) => ({
    name: `${type}.hooked.bench.kubeforge.io`,
    admissionReviewVersions: ['v1'],
    clientConfig: { service: { name: 'webhook-service', namespace: 'system', path } },
    failurePolicy: 'Fail',
    sideEffects: 'None',
    rules: [{ apiGroups: [hooked.group], apiVersions: ['v1'], operations: ['CREATE'], resources: ['gadgets'] }],
  });
  const registration = await registerLocalWebhooks(client, {
    baseUrl: `https://127.0.0.1:${server.port}`,
    caPem: ca.cert,
    configurations: [
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingWebhookConfiguration',
        metadata: { name: 'bench-mutating' },
        webhooks: [webhook('m', webhookPath('mutate', hooked))],
      },
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: 'bench-validating' },
        webhooks: [webhook('v', webhookPath('validate', hooked))],
      },
    ],
  });
  for (;;) {
    const probe = await client.create(hooked, { metadata: { name: 'probe', namespace: 'default' } }, { dryRun: true });
    if (probe.spec?.size === 1) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const measure = async (kind, label) => {
    for (let i = 0; i < 50; i++) await client.create(kind, { metadata: { name: `warm-${i}`, namespace: 'default' } });
    const times = [];
    for (let i = 0; i < requests; i++) {
      const started = performance.now();
      await client.create(kind, { metadata: { name: `g-${i}`, namespace: 'default' }, spec: { size: 2 } });
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
    console.log(JSON.stringify({ mode: label, requests, medianMs: Number(at(0.5)), p99Ms: Number(at(0.99)) }));
  };
  await measure(plain, 'create without webhooks');
  await measure(hooked, 'create through mutating + validating webhooks');

  const metrics = await metricsRegistry.getSingleMetric('controller_runtime_webhook_latency_seconds').get();
  for (const path of [webhookPath('mutate', hooked), webhookPath('validate', hooked)]) {
    const sum = metrics.values.find((v) => v.metricName.endsWith('_sum') && v.labels.webhook === path)?.value ?? 0;
    const count = metrics.values.find((v) => v.metricName.endsWith('_count') && v.labels.webhook === path)?.value ?? 1;
    console.log(
      JSON.stringify({ webhook: path, handled: count, serverMeanMs: Number(((sum / count) * 1000).toFixed(3)) }),
    );
  }
  await registration.unregister();
  stop.abort();
  await serving$;
} finally {
  await plane.stop();
}

async function ready(server) {
  try {
    server.readyCheck();
    return true;
  } catch {
    return false;
  }
}
