/**
 * The MicroService operator as a deployment runs it, for the secrets test: its own ServiceAccount
 * holding the example's generated RBAC (config/rbac/role.yaml and the leader-election role) as a
 * Role in the test's namespace plus the scaffold's metrics-auth role, a kubeconfig whose only
 * credential is that account's token from the TokenRequest API, a second ServiceAccount bound to
 * the scaffold's metrics-reader role to scrape with, the operator bundled with the MicroService
 * webhooks of `fixtures/operator` and run as a process (secure metrics, the default), and those
 * webhooks registered against it for the test's namespace only (other test files create
 * MicroServices in theirs).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { bundleOperator, startOperatorProcess, type OperatorProcess } from '../../scripts/demo/index.js';
import {
  ClusterRole,
  ClusterRoleBinding,
  Role,
  RoleBinding,
  ServiceAccount,
  type DirectClient,
  type KubeObject,
} from '../../src/runtime/index.js';
import { registerLocalWebhooks, type LocalWebhooks } from '../../src/runtime/webhook/index.js';
import { REPO } from '../cli/cli-harness.js';
import { EXAMPLE_DIR, MicroServiceKind, until } from '../microservice/operator.js';
import { kubectl, testRestConfig } from '../support/cluster.js';
import { scrape } from '../support/server-probes.js';
import { gadgetWebhookConfigurations } from '../webhook/harness.js';

const OPERATOR = 'microservice-operator';
const SCRAPER = 'metrics-scraper';
const FIXTURE_PROJECT = join(import.meta.dirname, 'fixtures', 'operator');

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

/** The scaffold's config/rbac/metrics_auth_role.yaml: the manager reviews each scrape. */
const METRICS_AUTH_RULES: PolicyRule[] = [
  { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
  { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
];
/** The scaffold's config/rbac/metrics_reader_role.yaml: for whoever scrapes. */
const METRICS_READER_RULES: PolicyRule[] = [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }];

/** The rules of the example's generated ClusterRole and its leader-election Role. */
async function exampleRules(): Promise<PolicyRule[]> {
  const rules: PolicyRule[] = [];
  for (const file of ['role.yaml', 'leader_election_role.yaml']) {
    const text = await readFile(join(EXAMPLE_DIR, 'config', 'rbac', file), 'utf8');
    for (const document of parseAllDocuments(text)) {
      const role = document.toJS() as { rules?: PolicyRule[] } | null;
      rules.push(...(role?.rules ?? []));
    }
  }
  return rules;
}

export interface Identities {
  /** The operator's ServiceAccount token (TokenRequest API, one hour). */
  operatorToken: string;
  /** A token of a ServiceAccount that may `get` /metrics and nothing else. */
  scraperToken: string;
  /** Deletes the cluster-scoped roles and bindings (the namespaced objects go with the namespace). */
  remove(): Promise<void>;
}

/**
 * The operator's ServiceAccount with a Role of the example's rules in `namespace` and the
 * metrics-auth ClusterRole, and the scraper's ServiceAccount with the metrics-reader ClusterRole.
 */
export async function createIdentities(client: DirectClient, namespace: string): Promise<Identities> {
  const clusterNames: string[] = [];
  const subjects = (name: string) => [{ kind: 'ServiceAccount', name, namespace }];
  const bindClusterRole = async (account: string, role: string, rules: PolicyRule[]) => {
    const name = `${namespace}-${role}`;
    clusterNames.push(name);
    await client.create(ClusterRole, { metadata: { name }, rules });
    await client.create(ClusterRoleBinding, {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: subjects(account),
    });
  };
  for (const name of [OPERATOR, SCRAPER]) await client.create(ServiceAccount, { metadata: { namespace, name } });
  await client.create(Role, { metadata: { namespace, name: OPERATOR }, rules: await exampleRules() });
  await client.create(RoleBinding, {
    metadata: { namespace, name: OPERATOR },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: OPERATOR },
    subjects: subjects(OPERATOR),
  });
  await bindClusterRole(OPERATOR, 'metrics-auth', METRICS_AUTH_RULES);
  await bindClusterRole(SCRAPER, 'metrics-reader', METRICS_READER_RULES);
  const token = async (account: string) =>
    (await kubectl(['create', 'token', account, '-n', namespace, '--duration=1h'])).trim();
  return {
    operatorToken: await token(OPERATOR),
    scraperToken: await token(SCRAPER),
    async remove() {
      for (const name of clusterNames) {
        await client.delete(ClusterRoleBinding, { name });
        await client.delete(ClusterRole, { name });
      }
    },
  };
}

/** A kubeconfig for the shared control plane whose one user authenticates with `token`. */
export async function writeTokenKubeconfig(dir: string, namespace: string, token: string): Promise<string> {
  const { server, caData } = testRestConfig();
  if (!caData) throw new Error('the shared control plane has no CA in its RestConfig');
  const path = join(dir, 'kubeconfig');
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'envtest', cluster: { server, 'certificate-authority-data': Buffer.from(caData).toString('base64') } },
    ],
    users: [{ name: OPERATOR, user: { token } }],
    contexts: [{ name: OPERATOR, context: { cluster: 'envtest', user: OPERATOR, namespace } }],
    'current-context': OPERATOR,
  };
  await writeFile(path, JSON.stringify(kubeconfig, null, 2), { mode: 0o600 });
  return path;
}

export interface StartedOperator {
  process: OperatorProcess;
  /** The webhook server's port on 127.0.0.1. */
  webhookPort: number;
  /** The metrics endpoint the manager logged. */
  metricsUrl: string;
  /** Holds the bundle and a copy of the log; the caller removes it. */
  workDir: string;
}

/** The value of `field` in the first JSON log line whose msg is `msg`, once the operator wrote it. */
async function logged(operator: OperatorProcess, msg: string, field: string): Promise<string> {
  let value: string | undefined;
  await until(`the operator to log "${msg}"`, () => {
    if (operator.exitCode() !== undefined)
      throw new Error(`the operator exited (${operator.exitCode()}):\n${operator.lines().join('\n')}`);
    for (const line of operator.lines()) {
      const entry = (line.startsWith('{') ? JSON.parse(line) : {}) as Record<string, unknown>;
      if (entry.msg === msg && entry[field] !== undefined) value = String(entry[field]);
    }
    return value !== undefined;
  });
  return value!;
}

/**
 * Bundles `fixtures/operator` (the example's main plus MicroService webhooks) and runs it with
 * `kubeconfig`, scoped to `namespace`, logging at `trace`; its webhook server listens on 127.0.0.1
 * with the serving certificate in `certDirs.webhook`, its metrics server — secure, as deployed, even
 * if the flags before these turn it off — with the one in `certDirs.metrics`.
 */
export async function startOperatorWithWebhooks(
  kubeconfig: string,
  namespace: string,
  certDirs: { webhook: string; metrics: string },
): Promise<StartedOperator> {
  const workDir = await mkdtemp(join(tmpdir(), 'kubeforge-secrets-'));
  const bundle = await bundleOperator(REPO, FIXTURE_PROJECT, join(workDir, 'operator.mjs'));
  const operator = startOperatorProcess(bundle, kubeconfig, join(workDir, 'operator.log'), {
    args: [
      '--namespace',
      namespace,
      '--log-level',
      'trace',
      '--metrics-secure=true',
      '--metrics-cert-path',
      certDirs.metrics,
    ],
    env: {
      KUBEFORGE_WEBHOOK_HOST: '127.0.0.1',
      KUBEFORGE_WEBHOOK_PORT: '0',
      KUBEFORGE_WEBHOOK_CERT_DIR: certDirs.webhook,
    },
  });
  const webhookPort = Number(await logged(operator, 'webhook server listening', 'port'));
  const metricsUrl = await logged(operator, 'starting manager', 'metrics');
  return { process: operator, webhookPort, metricsUrl, workDir };
}

/**
 * Registers the defaulting and validating webhooks `kubeforge manifests` would generate for
 * MicroService, pointed at 127.0.0.1:`port` and limited to `namespace` by a namespaceSelector.
 */
export async function registerMicroServiceWebhooks(
  client: DirectClient,
  namespace: string,
  port: number,
  caPem: string,
): Promise<LocalWebhooks> {
  const namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': namespace } };
  const configurations = gadgetWebhookConfigurations(MicroServiceKind, { name: `${namespace}-microservice` }).map(
    (configuration) => {
      const { webhooks } = configuration as KubeObject & { webhooks: object[] };
      return { ...configuration, webhooks: webhooks.map((webhook) => ({ ...webhook, namespaceSelector })) };
    },
  );
  return registerLocalWebhooks(client, { baseUrl: `https://127.0.0.1:${port}`, caPem, configurations });
}

/** GET /metrics over HTTPS, trusting `caPem`, with `token` as the bearer token. */
export async function scrapeMetrics(
  metricsUrl: string,
  caPem: string,
  token: string,
): Promise<{ status: number; body: string }> {
  const url = new URL('/metrics', metricsUrl);
  if (url.protocol !== 'https:') throw new Error(`the metrics endpoint is not served over HTTPS: ${metricsUrl}`);
  const { status, body } = await scrape(url.href, token, caPem);
  return { status, body };
}
