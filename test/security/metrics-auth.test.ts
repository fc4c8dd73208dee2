/**
 * Secure metrics on the shared control plane, with the RBAC a generated project deploys: the
 * manager runs as a ServiceAccount that has only the golden project's `metrics-auth-role` (so the
 * scaffolded role is what lets it create TokenReviews and SubjectAccessReviews), and scrapers are
 * ServiceAccounts with and without the scaffolded `metrics-reader` ClusterRole.
 */
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestNamespace, kubectl, testRestConfig } from '../support/cluster.js';
import { scrape } from '../support/server-probes.js';
import { startManager, type RunningManager } from '../runtime/harness.js';

const GOLDEN_RBAC = fileURLToPath(new URL('../../fixtures/golden/guestbook/config/rbac/', import.meta.url));
const RBAC_FILES = ['service_account.yaml', 'metrics_auth_role.yaml', 'metrics_auth_role_binding.yaml'];
const READER_FILE = 'metrics_reader_role.yaml';

let namespace: string;
let workDir: string;
let manager: RunningManager;
let metricsUrl: string;

/** A token for `serviceAccount` from the TokenRequest API. */
async function tokenFor(serviceAccount: string): Promise<string> {
  return (await kubectl(['create', 'token', serviceAccount, '-n', namespace, '--duration=1h'])).trim();
}

/** A JWT that looks like a service-account token, expired an hour ago, signed with a key the apiserver never saw. */
function forgedExpiredToken(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: 'ES256', kid: 'forged' })}.${part({
    iss: testRestConfig().server,
    sub: `system:serviceaccount:${namespace}:reader`,
    aud: [testRestConfig().server],
    iat: now - 7200,
    nbf: now - 7200,
    exp: now - 3600,
  })}`;
  const signature = sign('sha256', Buffer.from(unsigned), {
    key: createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' })),
    dsaEncoding: 'ieee-p1363',
  });
  return `${unsigned}.${signature.toString('base64url')}`;
}

beforeAll(async () => {
  namespace = await createTestNamespace('metrics-auth');
  // The golden project's RBAC as config/default renders it: its namespace, names prefixed.
  workDir = await mkdtemp(join(tmpdir(), 'kubeforge-metrics-auth-'));
  for (const file of [...RBAC_FILES, READER_FILE]) await copyFile(join(GOLDEN_RBAC, file), join(workDir, file));
  await writeFile(
    join(workDir, 'kustomization.yaml'),
    `namespace: ${namespace}\nnamePrefix: ${namespace}-\nresources:\n${[...RBAC_FILES, READER_FILE].map((f) => `- ${f}\n`).join('')}`,
  );
  await kubectl(['apply', '-k', workDir]);
  for (const name of ['scraper', 'reader']) await kubectl(['create', 'serviceaccount', name, '-n', namespace]);
  await kubectl([
    'create',
    'clusterrolebinding',
    `${namespace}-reader`,
    `--clusterrole=${namespace}-metrics-reader`,
    `--serviceaccount=${namespace}:reader`,
  ]);

  const { server, caData } = testRestConfig();
  const token = await tokenFor(`${namespace}-controller-manager`);
  manager = await startManager(() => {}, { restConfig: { server, caData, token }, metricsBindAddress: '127.0.0.1:0' });
  const { metrics } = await manager.mgr.serving();
  if (!metrics) throw new Error('the manager serves no metrics');
  metricsUrl = `${metrics}/metrics`;
});

afterAll(async () => {
  await manager?.stop();
  await kubectl(['delete', '--ignore-not-found', '-k', workDir]).catch(() => undefined);
  await kubectl(['delete', 'clusterrolebinding', '--ignore-not-found', `${namespace}-reader`]).catch(() => undefined);
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('secure metrics (the default)', () => {
  it('serves HTTPS and answers a scrape without a token 401, asking for a bearer token', async () => {
    expect(metricsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const anonymous = await scrape(metricsUrl);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    expect(anonymous.body).not.toContain('controller_runtime');
  });

  it('answers 401 to a token the apiserver does not accept: garbage, or forged and expired', async () => {
    for (const token of ['not-a-token', forgedExpiredToken()]) {
      const forged = await scrape(metricsUrl, token);
      expect(forged.status).toBe(401);
      expect(forged.body).not.toContain('controller_runtime');
    }
  });

  it('answers 403 to a valid ServiceAccount token without the metrics-reader role', async () => {
    const denied = await scrape(metricsUrl, await tokenFor('scraper'));
    expect(denied.status).toBe(403);
    expect(denied.body).toBe(`Forbidden: user "system:serviceaccount:${namespace}:scraper" may not get /metrics\n`);
  });

  it('serves the controller-runtime metrics to a ServiceAccount bound to the scaffolded metrics-reader role', async () => {
    const allowed = await scrape(metricsUrl, await tokenFor('reader'));
    expect(allowed.status).toBe(200);
    for (const name of [
      'controller_runtime_reconcile_total',
      'controller_runtime_reconcile_time_seconds',
      'workqueue_depth',
      'rest_client_requests_total',
    ])
      expect(allowed.body).toContain(`# TYPE ${name} `);
  });

  // Answers are cached for 10 s: the limits allow for one cache lifetime and then some.
  it('stops serving a reader whose binding, then whose ServiceAccount, is deleted', { timeout: 90_000 }, async () => {
    const token = await tokenFor('reader');
    expect((await scrape(metricsUrl, token)).status).toBe(200);
    await kubectl(['delete', 'clusterrolebinding', `${namespace}-reader`]);
    await vi.waitFor(async () => expect((await scrape(metricsUrl, token)).status).toBe(403), {
      timeout: 40_000,
      interval: 500,
    });
    await kubectl(['delete', 'serviceaccount', 'reader', '-n', namespace]);
    await vi.waitFor(async () => expect((await scrape(metricsUrl, token)).status).toBe(401), {
      timeout: 40_000,
      interval: 500,
    });
  });
});
