import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCRDs } from '../../src/envtest/index.js';
import { readProject } from '../../src/project/index.js';
import { defineKind, Deployment, newClient, type KubeObject } from '../../src/runtime/index.js';
import { createCertificateAuthority, issueCertificate } from '../../src/runtime/serving/index.js';
import { until } from '../runtime/harness.js';
import { createTestNamespace, testKubeconfigPath, testRestConfig } from '../support/cluster.js';
import { REPO, scaffoldInstalledProject, sh, useWorkspace } from './cli-harness.js';

const TEN_MINUTES = 600_000;
const CERTIFICATE_CRD = join(REPO, 'fixtures/import/cert-manager-v1-certificates.yaml');
const CertificateKind = defineKind<KubeObject & { spec?: Record<string, unknown> }>({
  group: 'cert-manager.io',
  version: 'v1',
  kind: 'Certificate',
  plural: 'certificates',
  namespaced: true,
});

// Controllers and webhooks for kinds the project does not define, made with the CLI as users run
// it: a controller for apps/v1 Deployment (a built-in kind), one for cert-manager's Certificate
// (imported with `kubeforge import`, then --external-api-path) and its validating webhook, a Pod
// defaulting webhook. The
// project builds, lints and passes its own tests (the Pod webhook served in-process and called by
// a real apiserver); its built operator reconciles a real Deployment on the shared control plane.
describe('generated project with built-in and external kinds', () => {
  const ws = useWorkspace('foreign-kinds', { once: true });
  beforeAll(async () => {
    await scaffoldInstalledProject(ws.project, [
      ['create', 'api', '--group', 'apps', '--version', 'v1', '--kind', 'Deployment', '--resource=false'],
      ['create', 'webhook', '--group', 'core', '--version', 'v1', '--kind', 'Pod', '--defaulting'],
      ['import', CERTIFICATE_CRD],
      [
        'create',
        'api',
        '--group',
        'cert-manager',
        '--version',
        'v1',
        '--kind',
        'Certificate',
        '--resource=false',
        '--external-api-path',
        'src/imports/cert-manager.io/v1.ts',
        '--external-api-domain',
        'io',
      ],
      [
        'create',
        'webhook',
        '--group',
        'cert-manager',
        '--version',
        'v1',
        '--kind',
        'Certificate',
        '--programmatic-validation',
      ],
    ]);
  }, TEN_MINUTES);

  it('records the kinds in PROJECT as kubebuilder does (core: true, external: true, domain, path)', async () => {
    const project = await readProject(ws.project);
    expect(project.resources).toEqual([
      expect.objectContaining({
        group: 'apps',
        kind: 'Deployment',
        domain: '',
        core: true,
        controller: true,
        path: 'kubeforge/runtime',
      }),
      expect.objectContaining({
        group: 'core',
        kind: 'Pod',
        domain: '',
        core: true,
        controller: false,
        webhooks: expect.objectContaining({ defaulting: true }),
      }),
      expect.objectContaining({
        group: 'cert-manager',
        kind: 'Certificate',
        domain: 'io',
        plural: 'certificates',
        external: true,
        controller: true,
        path: 'src/imports/cert-manager.io/v1.ts',
        webhooks: expect.objectContaining({ validation: true }),
      }),
    ]);
  });

  it('builds, lints, and grants the controllers their kinds in role.yaml', { timeout: TEN_MINUTES }, async () => {
    await sh(ws.project, 'npm', ['run', 'build']);
    await sh(ws.project, 'npm', ['run', 'lint']);
    await sh(ws.project, 'npm', ['run', 'manifests']);
    const role = await readFile(join(ws.project, 'config/rbac/role.yaml'), 'utf8');
    expect(role).toMatch(/- apiGroups:\n {2}- apps\n {2}resources:\n {2}- deployments\n/);
    expect(role).toMatch(/- apiGroups:\n {2}- cert-manager\.io\n {2}resources:\n {2}- certificates\n/);
  });

  it(
    'passes its own tests: the Pod webhook is called by a real apiserver and skips kube-system',
    { timeout: TEN_MINUTES },
    async () => {
      const output = await sh(ws.project, 'npm', ['test', '--', '--reporter=verbose']);
      expect(output).toMatch(
        /✓ .*Pod v1 webhooks called by the apiserver > defaults a Pod created outside kube-system/,
      );
      expect(output).toMatch(/✓ .*leaves a Pod in kube-system alone/);
      expect(output).toMatch(/✓ .*DeploymentReconciler > returns done when the Deployment no longer exists/);
      expect(output).toMatch(/✓ .*Certificate v1 webhooks > admits a Certificate on create, update and delete/);
      expect(output).not.toMatch(/failed/);
    },
  );

  it(
    'passes its test:e2e (the external CRD installed from config/crd/external; no own API, so no samples)',
    { timeout: TEN_MINUTES },
    async () => {
      await mkdir(join(ws.project, 'config/crd/external'));
      await copyFile(CERTIFICATE_CRD, join(ws.project, 'config/crd/external/certificates.yaml'));
      const output = await sh(ws.project, 'npm', ['run', 'test:e2e']);
      expect(output).toMatch(/Tests\s+2 passed \| 2 skipped \(4\)/);
    },
  );

  describe('its built operator on the shared control plane', () => {
    let operator: ChildProcess | undefined;
    let certDir = '';
    let logs = '';
    const logEntries = () =>
      logs
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);

    afterAll(async () => {
      if (operator?.exitCode === null) operator.kill('SIGKILL');
      if (certDir) await rm(certDir, { recursive: true, force: true });
    });

    it('reconciles a real Deployment and a real Certificate', { timeout: TEN_MINUTES }, async () => {
      await installCRDs(testRestConfig(), [CERTIFICATE_CRD], 60_000);
      certDir = await writeServingCertificate();
      operator = spawn(
        process.execPath,
        [
          'dist/src/main.js',
          `--kubeconfig=${testKubeconfigPath()}`,
          '--metrics-bind-address=0',
          '--health-probe-bind-address=0',
        ],
        {
          cwd: ws.project,
          stdio: ['ignore', 'pipe', 'pipe'],
          // The Pod webhook is served (not registered with the apiserver): it needs a certificate.
          env: { ...process.env, KUBEFORGE_WEBHOOK_PORT: '0', KUBEFORGE_WEBHOOK_CERT_DIR: certDir },
        },
      );
      operator.stdout?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
      operator.stderr?.on('data', (chunk: Buffer) => (logs += chunk.toString()));

      const namespace = await createTestNamespace('foreign-kinds');
      const labels = { app: 'reconciled' };
      const client = newClient(testRestConfig());
      await client.create(Deployment, {
        metadata: { namespace, name: 'reconciled' },
        spec: {
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] },
          },
        },
      });
      await client.create(CertificateKind, {
        metadata: { namespace, name: 'reconciled' },
        spec: { secretName: 'reconciled-tls', issuerRef: { name: 'an-issuer' } },
      });
      for (const kind of ['Deployment', 'Certificate']) {
        await until(
          `the operator to reconcile the ${kind}`,
          () =>
            logEntries().some(
              (entry) =>
                entry.msg === `reconciling ${kind}` &&
                entry.namespace === namespace &&
                entry.name === 'reconciled' &&
                entry.generation === 1,
            ),
          120_000,
        );
      }
      const exited = new Promise<number | null>((resolve) => operator?.once('exit', (code) => resolve(code)));
      operator.kill('SIGTERM');
      expect(await exited, logs).toBe(0);
    });
  });
});

/** A throw-away serving certificate for 127.0.0.1 in a new directory. */
async function writeServingCertificate(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'foreign-kinds-certs-'));
  const ca = await createCertificateAuthority('foreign-kinds-ca');
  const serving = await issueCertificate(ca, { commonName: 'webhook', usage: 'server', ipAddresses: ['127.0.0.1'] });
  await writeFile(join(dir, 'tls.key'), serving.key, { mode: 0o600 });
  await writeFile(join(dir, 'tls.crt'), serving.cert);
  return dir;
}
