import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { sh } from '../cli/cli-harness.js';
import { createTestNamespace, kubectl, testKubeconfigPath } from '../support/cluster.js';
import { scrape } from '../support/server-probes.js';
import { runStageEnv } from './dockerfile-rules.js';
import { startInCluster, type InClusterOperator } from './in-cluster.js';
import {
  findManifest,
  grants,
  markerGrants,
  NAMESPACE,
  parseManifests,
  PROJECT_NAME,
  SERVICE_ACCOUNT,
  TEN_MINUTES,
  usePackagedProject,
  type KubeManifest,
  type RbacRule,
} from './packaged-project.js';

const IMAGE = 'registry.example.com/pkgtest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
/** Packages whose code belongs to the CLI and code generators, never to an operator. */
const CLI_ONLY = ['ts-morph', 'typescript', 'handlebars', 'commander', 'json-schema-to-typescript', '@inquirer'];
const KUBEFORGE_CLI_FOLDERS = ['cli', 'machinery', 'codegen', 'scaffolds', 'envtest', 'project'];

interface Container {
  name: string;
  image: string;
  args: string[];
  securityContext: Record<string, unknown>;
}

/** The manager container of a Deployment (its pod template) or of a Pod. */
function managerContainer(object: KubeManifest): Container {
  type PodSpec = { containers: Container[] };
  const spec = object.spec as PodSpec & { template?: { spec: PodSpec } };
  const manager = (spec.template?.spec ?? spec).containers.find((container) => container.name === 'manager');
  if (!manager) throw new Error(`${object.kind} ${object.metadata.name} has no manager container`);
  return manager;
}

async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// From laptop to cluster as kubebuilder users go: bundle, kustomize, `make deploy`, the operator
// in the cluster with nothing but its service account, `make undeploy` — on the shared control plane.
describe('a packaged operator', () => {
  const ws = usePackagedProject();
  const kubeconfig = () => ({ KUBECONFIG: testKubeconfigPath() });
  let rendered: KubeManifest[];
  let operator: InClusterOperator | undefined;
  let inClusterRoot: string | undefined;

  afterAll(async () => {
    await operator?.stop();
    if (inClusterRoot) await rm(inClusterRoot, { recursive: true, force: true });
  });

  it('bundles into one file without CLI, code-generation or client-node code', async () => {
    const bundle = await readFile(join(ws.project, 'dist/operator.js'));
    const meta = JSON.parse(await readFile(join(ws.project, 'dist/operator.meta.json'), 'utf8')) as {
      inputs: Record<string, unknown>;
    };
    const inputs = Object.keys(meta.inputs);
    for (const name of [...CLI_ONLY, '@kubernetes/client-node'])
      expect(inputs.filter((input) => input.includes(`node_modules/${name}/`))).toEqual([]);
    const kubeforgeFolders = new Set(
      inputs.map((input) => /\/dist\/(\w+)\//.exec(input.replace(/.*node_modules\/kubeforge/, ''))?.[1]),
    );
    for (const folder of KUBEFORGE_CLI_FOLDERS) expect(kubeforgeFolders).not.toContain(folder);
    expect(kubeforgeFolders).toContain('runtime');
    expect(bundle.toString()).not.toMatch(/ts-morph|Handlebars\.compile|json-schema-to-typescript/);
    console.log(`[packaging] dist/operator.js: ${bundle.length} bytes, ${gzipSync(bundle).length} gzip`);
  });

  it('renders config/default with least-privilege RBAC: exactly the marker rules, no wildcard', async () => {
    rendered = parseManifests(await sh(ws.project, 'kubectl', ['kustomize', 'config/default']));
    const role = findManifest(rendered, 'ClusterRole', `${PROJECT_NAME}-manager-role`);
    const markers = await markerGrants(ws.project, ['src/controllers/guestbook.controller.ts']);
    expect(markers.length).toBeGreaterThan(0);
    expect(grants(role.rules as RbacRule[])).toEqual(markers);
    const leaderElection = findManifest(rendered, 'Role', `${PROJECT_NAME}-leader-election-role`);
    expect(new Set(grants(leaderElection.rules as RbacRule[]).map((grant) => grant.split(' ')[1]))).toEqual(
      new Set(['leases', 'events']),
    );
    const metricsAuth = findManifest(rendered, 'ClusterRole', `${PROJECT_NAME}-metrics-auth-role`);
    expect(grants(metricsAuth.rules as RbacRule[])).toEqual([
      'authentication.k8s.io tokenreviews create',
      'authorization.k8s.io subjectaccessreviews create',
    ]);
    expect(findManifest(rendered, 'ClusterRoleBinding', `${PROJECT_NAME}-metrics-auth-rolebinding`).subjects).toEqual([
      { kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace: NAMESPACE },
    ]);
    expect(findManifest(rendered, 'ClusterRole', `${PROJECT_NAME}-metrics-reader`).rules).toEqual([
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ]);
    for (const object of rendered.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole'))
      expect(JSON.stringify(object.rules), object.metadata.name).not.toContain('*');
  });

  it('make install and make uninstall add and remove only the CRD', { timeout: TEN_MINUTES }, async () => {
    const crd = 'customresourcedefinition.apiextensions.k8s.io/guestbooks.webapp.packaging.example.com';
    await sh(ws.project, 'make', ['install'], kubeconfig());
    expect(await kubectl(['get', 'crd', '-o', 'name'])).toContain(crd);
    await sh(ws.project, 'make', ['uninstall'], kubeconfig());
    expect(await kubectl(['get', 'crd', '-o', 'name'])).not.toContain(crd);
    expect(await kubectl(['get', 'namespaces', '-o', 'name'])).not.toContain(`namespace/${NAMESPACE}`);
  });

  it(
    'make deploy IMG=… applies it server-side and the restricted namespace admits the manager pod',
    { timeout: TEN_MINUTES },
    async () => {
      const kustomization = join(ws.project, 'config/default/kustomization.yaml');
      await writeFile(
        kustomization,
        (await readFile(kustomization, 'utf8')).replace('#- ../network-policy', '- ../network-policy'),
      );
      const output = await sh(ws.project, 'make', ['deploy', `IMG=${IMAGE}`], kubeconfig());
      expect(output).toContain(`deployment.apps/${PROJECT_NAME}-controller-manager serverside-applied`);
      expect(output).not.toMatch(/Warning|violate/);

      const namespace = JSON.parse(await kubectl(['get', 'namespace', NAMESPACE, '-o', 'json'])) as KubeManifest;
      expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
      const deployment = JSON.parse(
        await kubectl(['get', 'deployment', `${PROJECT_NAME}-controller-manager`, '-n', NAMESPACE, '-o', 'json']),
      ) as KubeManifest;
      expect(managerContainer(deployment).image).toBe(IMAGE);
      const policies = await kubectl(['get', 'networkpolicies', '-n', NAMESPACE, '-o', 'name']);
      expect(policies.split('\n').filter(Boolean).sort()).toEqual([
        `networkpolicy.networking.k8s.io/${PROJECT_NAME}-allow-metrics-traffic`,
        `networkpolicy.networking.k8s.io/${PROJECT_NAME}-allow-webhook-traffic`,
      ]);
      // kube-controller-manager creates the pod through pod-security admission (enforce=restricted).
      const pod = await eventually('the manager pod', async () => {
        const pods = await kubectl([
          'get',
          'pods',
          '-n',
          NAMESPACE,
          '-l',
          'control-plane=controller-manager',
          '-o',
          'json',
        ]);
        return (JSON.parse(pods) as { items: KubeManifest[] }).items[0];
      });
      expect(managerContainer(pod).securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
    },
  );

  it(
    'the bundle runs in-cluster as the deployed service account and reconciles a sample',
    { timeout: TEN_MINUTES },
    async () => {
      const sampleNamespace = await createTestNamespace('pkgtest-sample');
      await kubectl([
        'apply',
        '-n',
        sampleNamespace,
        '-f',
        join(ws.project, 'config/samples/webapp_v1_guestbook.yaml'),
      ]);
      const deployment = findManifest(rendered, 'Deployment', `${PROJECT_NAME}-controller-manager`);
      const args = managerContainer(deployment).args.map((arg) =>
        arg
          .replace('--metrics-bind-address=:8443', '--metrics-bind-address=127.0.0.1:0')
          .replace('--health-probe-bind-address=:8081', '--health-probe-bind-address=127.0.0.1:0'),
      );
      expect(args).toContain('--leader-elect');
      inClusterRoot = await mkdtemp(join(tmpdir(), 'kubeforge-in-cluster-'));
      operator = await startInCluster({
        root: inClusterRoot,
        bundle: join(ws.project, 'dist/operator.js'),
        namespace: NAMESPACE,
        serviceAccount: SERVICE_ACCOUNT,
        args,
        env: runStageEnv(await readFile(join(ws.project, 'Dockerfile'), 'utf8')),
      });
      const running = operator;
      const reconciled = await eventually('a reconcile of guestbook-sample', async () =>
        running
          .logs()
          .split('\n')
          .find((line) => line.includes('reconciling Guestbook') && line.includes(sampleNamespace)),
      ).catch((error: Error) => {
        throw new Error(`${error.message}; operator output:\n${running.logs()}`);
      });
      const coldStartMs = (JSON.parse(reconciled) as { time: number }).time - running.spawnedAt;
      console.log(`[packaging] cold start of the bundle to first reconcile: ${coldStartMs} ms`);
      const lease = await kubectl(['get', 'lease', '-n', NAMESPACE, '-o', 'name']);
      expect(lease).toMatch(/^lease\.coordination\.k8s\.io\//m);
      // Secure metrics with the deployed RBAC: the operator reviews scrapes as its service account
      // (metrics-auth-role), and a scraper bound to the deployed metrics-reader role gets them.
      const started = running
        .logs()
        .split('\n')
        .find((line) => line.includes('"msg":"starting manager"'));
      const metricsUrl = `${(JSON.parse(started ?? '{}') as { metrics?: string }).metrics}/metrics`;
      expect(metricsUrl).toMatch(/^https:/);
      const scraper = `${PROJECT_NAME}-scraper`;
      await kubectl(['create', 'serviceaccount', scraper, '-n', sampleNamespace]);
      const token = (await kubectl(['create', 'token', scraper, '-n', sampleNamespace])).trim();
      expect((await scrape(metricsUrl, token)).status).toBe(403);
      await kubectl([
        'create',
        'clusterrolebinding',
        scraper,
        `--clusterrole=${PROJECT_NAME}-metrics-reader`,
        `--serviceaccount=${sampleNamespace}:${scraper}`,
      ]);
      try {
        const scraped = await eventually('a scrape with the metrics-reader role', async () => {
          const answer = await scrape(metricsUrl, token);
          return answer.status === 200 ? answer.body : undefined;
        });
        expect(scraped).toContain('controller_runtime_reconcile_total{controller="guestbook",result="success"}');
      } finally {
        await kubectl(['delete', 'clusterrolebinding', scraper]);
      }
      expect((await scrape(metricsUrl)).status).toBe(401);
      expect(running.logs()).not.toMatch(/forbidden|"level":50/i);
      expect(running.logs()).not.toContain(token);
      expect(await running.stop(), running.logs()).toBe(0);
    },
  );

  it('the deployed service account may do nothing beyond its markers, leader election, events and metrics reviews', async () => {
    const as = `--as=system:serviceaccount:${NAMESPACE}:${SERVICE_ACCOUNT}`;
    const canI = async (verb: string, resource: string, scope: string[]) =>
      (
        await sh(ws.project, 'kubectl', ['auth', 'can-i', as, verb, resource, ...scope], kubeconfig()).catch(
          (error: Error) => error.message,
        )
      ).trim();
    const allNamespaces = ['--all-namespaces'];
    const ownNamespace = ['-n', NAMESPACE];
    expect(await canI('watch', 'guestbooks.webapp.packaging.example.com', allNamespaces)).toBe('yes');
    expect(await canI('patch', 'guestbooks.webapp.packaging.example.com/status', allNamespaces)).toBe('yes');
    expect(await canI('update', 'leases.coordination.k8s.io', ownNamespace)).toBe('yes');
    expect(await canI('create', 'events.events.k8s.io', ownNamespace)).toBe('yes');
    // (kubectl adds a warning that these are not namespaced)
    expect(await canI('create', 'tokenreviews.authentication.k8s.io', [])).toMatch(/^yes$/m);
    expect(await canI('create', 'subjectaccessreviews.authorization.k8s.io', [])).toMatch(/^yes$/m);
    for (const [verb, resource, scope] of [
      ['list', 'secrets', allNamespaces],
      ['get', 'secrets', ownNamespace],
      ['create', 'pods', ownNamespace],
      ['update', 'leases.coordination.k8s.io', ['-n', 'default']],
      ['create', 'customresourcedefinitions.apiextensions.k8s.io', []],
      ['escalate', 'clusterroles.rbac.authorization.k8s.io', []],
    ] as const)
      expect(await canI(verb, resource, [...scope]), `${verb} ${resource}`).toMatch(/^no\b|\bno$/m);
  });

  it('make undeploy removes the operator, its namespace and its CRD', { timeout: TEN_MINUTES }, async () => {
    await sh(ws.project, 'make', ['undeploy'], kubeconfig());
    const crds = await kubectl(['get', 'crd', '-o', 'name']);
    expect(crds).not.toContain('guestbooks.webapp.packaging.example.com');
    const namespaces = await kubectl(['get', 'namespaces', '-o', 'name']);
    expect(namespaces).not.toContain(`namespace/${NAMESPACE}`);
  });
});
