import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, sh, treeDigest, useWorkspace } from '../cli/cli-harness.js';
import { createTestNamespace, kubectl, testToolPath } from '../support/cluster.js';
import { findManifest, parseManifests, type KubeManifest } from './packaged-project.js';

const NAME = 'charttest';
const RESTRICTED = ['pod-security.kubernetes.io/enforce=restricted', 'pod-security.kubernetes.io/warn=restricted'];

interface Container {
  name: string;
  image: string;
  args: string[];
  [field: string]: unknown;
}

function manager(deployment: KubeManifest): Container {
  const spec = deployment.spec as { replicas?: number; template: { spec: { containers: Container[] } } };
  return spec.template.spec.containers[0];
}

const identity = (object: KubeManifest) => `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;

// `kubeforge edit --plugins helm` on a project with a controller and webhooks: helm lint, the same
// objects as the kustomize deploy, values that matter, and the apiserver's verdict.
describe('the Helm chart', () => {
  const ws = useWorkspace('helm', { name: NAME, once: true });
  const helm = (args: string[]) => sh(ws.project, testToolPath('helm'), args);
  const template = async (namespace: string, values: string[] = []) =>
    parseManifests(
      await helm(['template', NAME, 'dist/chart', '-n', namespace, ...values.flatMap((v) => ['--set', v])]),
    );

  beforeAll(async () => {
    for (const command of [
      'init --domain chart.example.com --kubeforge-version ^0.1.0 --yes',
      'create api --group webapp --version v1 --kind Guestbook --yes',
      'create webhook --group webapp --version v1 --kind Guestbook --defaulting --programmatic-validation',
      'manifests',
      'edit --plugins helm',
    ]) {
      const run = await runCli(ws.project, command.split(' '));
      expect(run.code, `kubeforge ${command}: ${run.stderr}`).toBe(0);
    }
  });

  it('passes helm lint', async () => {
    expect(await helm(['lint', 'dist/chart'])).toContain('0 chart(s) failed');
  });

  it('renders the objects of config/default with the same manager role and container', async () => {
    const kustomized = parseManifests(await sh(ws.project, 'kubectl', ['kustomize', 'config/default']));
    const charted = await template(`${NAME}-system`);
    expect(charted.map(identity).sort()).toEqual(
      kustomized
        .filter((o) => o.kind !== 'Namespace')
        .map(identity)
        .sort(),
    );
    for (const role of ['manager-role', 'metrics-auth-role', 'metrics-reader'].map((name) => `${NAME}-${name}`))
      expect(findManifest(charted, 'ClusterRole', role).rules, role).toEqual(
        findManifest(kustomized, 'ClusterRole', role).rules,
      );
    const binding = `${NAME}-metrics-auth-rolebinding`;
    expect(findManifest(charted, 'ClusterRoleBinding', binding).subjects).toEqual(
      findManifest(kustomized, 'ClusterRoleBinding', binding).subjects,
    );
    const deployment = `${NAME}-controller-manager`;
    const fromChart = manager(findManifest(charted, 'Deployment', deployment));
    const fromKustomize = manager(findManifest(kustomized, 'Deployment', deployment));
    // Same container; the chart adds --log-level and imagePullPolicy, kustomize's patch orders ports differently.
    const comparable = (container: Container) => ({
      ...container,
      imagePullPolicy: undefined,
      args: container.args.filter((arg) => !arg.startsWith('--log-level')),
      ports: (container.ports as { name: string }[]).toSorted((a, b) => a.name.localeCompare(b.name)),
    });
    expect(comparable(fromChart)).toEqual(comparable(fromKustomize));
  });

  it('is accepted by the apiserver under restricted pod security (server-side dry run)', async () => {
    const namespace = await createTestNamespace('charttest');
    await kubectl(['label', 'namespace', namespace, ...RESTRICTED]);
    // cert-manager's Issuer and Certificate need its CRDs, which this control plane does not have.
    const objects = (await template(namespace)).filter((object) => !object.apiVersion.startsWith('cert-manager.io/'));
    // --force-conflicts: the CRDs may already be installed on the shared plane by another field manager.
    const applied = await kubectl(['apply', '--server-side', '--force-conflicts', '--dry-run=server', '-f', '-'], {
      input: objects.map((object) => JSON.stringify(object)).join('\n'),
    });
    expect(applied).toContain(`deployment.apps/${NAME}-controller-manager serverside-applied (server dry run)`);
    expect(applied).toContain(
      `mutatingwebhookconfiguration.admissionregistration.k8s.io/${NAME}-mutating-webhook-configuration`,
    );
    expect(applied).not.toMatch(/Warning|violate/);
  });

  it('scrapes secure metrics with the Prometheus token over HTTPS, or plain HTTP when metrics.secure=false', async () => {
    const kustomized = parseManifests(await sh(ws.project, 'kubectl', ['kustomize', 'config/prometheus']));
    const monitors = [
      findManifest(kustomized, 'ServiceMonitor', 'controller-manager-metrics-monitor'),
      findManifest(
        await template('ops', ['prometheus.enable=true']),
        'ServiceMonitor',
        `${NAME}-controller-manager-metrics-monitor`,
      ),
    ];
    for (const monitor of monitors)
      expect((monitor.spec as { endpoints: unknown[] }).endpoints).toEqual([
        {
          path: '/metrics',
          port: 'https',
          scheme: 'https',
          bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
          tlsConfig: { insecureSkipVerify: true },
        },
      ]);
    const plain = await template('ops', ['prometheus.enable=true', 'metrics.secure=false', 'metrics.port=8080']);
    expect(manager(findManifest(plain, 'Deployment', `${NAME}-controller-manager`)).args).toEqual(
      expect.arrayContaining(['--metrics-bind-address=:8080', '--metrics-secure=false']),
    );
    const monitor = findManifest(plain, 'ServiceMonitor', `${NAME}-controller-manager-metrics-monitor`);
    expect((monitor.spec as { endpoints: unknown[] }).endpoints).toEqual([
      { path: '/metrics', port: 'http', scheme: 'http' },
    ]);
    const service = findManifest(plain, 'Service', `${NAME}-controller-manager-metrics-service`);
    expect((service.spec as { ports: unknown[] }).ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP', targetPort: 'metrics' },
    ]);
    const kinds = plain.map((object) => `${object.kind}/${object.metadata.name}`);
    for (const gone of ['ClusterRole/charttest-metrics-auth-role', 'ClusterRole/charttest-metrics-reader'])
      expect(kinds).not.toContain(gone);
  });

  it('takes image, replicas, resources, leader election, metrics and webhooks from values', async () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const objects = await template('ops', [
      'controllerManager.image.repository=registry.example.com/charttest',
      `controllerManager.image.digest=${digest}`,
      'controllerManager.replicas=2',
      'controllerManager.resources.limits.memory=512Mi',
      'leaderElection.enable=false',
      'metrics.enable=false',
      'webhook.enable=false',
    ]);
    const deployment = findManifest(objects, 'Deployment', `${NAME}-controller-manager`);
    expect((deployment.spec as { replicas: number }).replicas).toBe(2);
    const container = manager(deployment);
    expect(container.image).toBe(`registry.example.com/charttest@${digest}`);
    expect(container.args).not.toContain('--leader-elect');
    expect(container.args).toContain('--metrics-bind-address=0');
    expect(container).toMatchObject({ resources: { limits: { memory: '512Mi' } } });
    expect(container.volumeMounts).toBeUndefined();
    const kinds = objects.map((object) => `${object.kind}/${object.metadata.name}`);
    for (const gone of [
      'Service/charttest-webhook-service',
      'Service/charttest-controller-manager-metrics-service',
      'Role/charttest-leader-election-role',
      'ClusterRole/charttest-metrics-auth-role',
      'ClusterRoleBinding/charttest-metrics-auth-rolebinding',
      'MutatingWebhookConfiguration/charttest-mutating-webhook-configuration',
    ])
      expect(kinds).not.toContain(gone);
  });

  it('is regenerated idempotently and follows the project: a new API adds its CRD', async () => {
    const before = await treeDigest(ws.project);
    const again = await runCli(ws.project, ['edit', '--plugins', 'helm']);
    expect(again.stdout).toContain('No changes: everything is already in place.');
    expect(await treeDigest(ws.project)).toBe(before);
    for (const args of [
      ['create', 'api', '--group', 'batch', '--version', 'v1', '--kind', 'Policy', '--yes'],
      ['manifests'],
      ['edit', '--plugins', 'helm'],
    ])
      expect((await runCli(ws.project, args)).code).toBe(0);
    expect(existsSync(join(ws.project, 'dist/chart/templates/crd/batch.chart.example.com_policies.yaml'))).toBe(true);
    expect(await helm(['lint', 'dist/chart'])).toContain('0 chart(s) failed');
  });

  it('rejects an unknown plugin, naming the flag, and writes nothing', async () => {
    const before = await treeDigest(ws.project);
    const run = await runCli(ws.project, ['edit', '--plugins', 'helm,kustomize']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('--plugins kustomize: unknown plugin');
    expect(run.stderr).toContain('available plugins: helm');
    expect(await treeDigest(ws.project)).toBe(before);
  });
});
