/**
 * `kubeforge tree` against the shared control plane: a custom resource owning a ConfigMap, a
 * Secret and a Deployment (whose ReplicaSet and Pod the run's kube-controller-manager makes), a
 * ConfigMap owning a Secret of its own, and objects outside the tree that must not show.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { installCRDs } from '../../src/envtest/index.js';
import {
  ConfigMap,
  defineKind,
  Deployment,
  newClient,
  Secret,
  type DirectClient,
  type KubeObject,
} from '../../src/runtime/index.js';
import { createTestNamespace, testKubeconfigPath, testRestConfig } from '../support/cluster.js';
import { schemalessCrd } from '../support/schemaless-crd.js';
import { until } from '../runtime/harness.js';
import { runCli, type CliRun } from './cli-harness.js';

const CRD = schemalessCrd({
  group: 'tree.kubeforge.io',
  kind: 'Stack',
  plural: 'stacks',
  singular: 'stack',
  shortNames: ['stk'],
});
const StackKind = defineKind({
  group: 'tree.kubeforge.io',
  version: 'v1',
  kind: 'Stack',
  plural: 'stacks',
  namespaced: true,
});

let client: DirectClient;
let namespace: string;

const ownedBy = (owner: KubeObject, controller = false) => [
  {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata!.name!,
    uid: owner.metadata!.uid!,
    ...(controller ? { controller: true, blockOwnerDeletion: true } : {}),
  },
];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeforge-tree-'));
  writeFileSync(join(dir, 'stacks.json'), JSON.stringify(CRD));
  await installCRDs(testRestConfig(), [dir]);
  namespace = await createTestNamespace('tree');
  client = newClient(testRestConfig());
  const stack = await client.create(StackKind, {
    apiVersion: 'tree.kubeforge.io/v1',
    kind: 'Stack',
    metadata: { name: 'web', namespace },
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Reconciled' }] },
  } as KubeObject);
  const config = await client.create(ConfigMap, {
    metadata: { name: 'web-config', namespace, ownerReferences: ownedBy(stack) },
    data: { a: 'b' },
  });
  await client.create(Secret, {
    metadata: { name: 'web-credentials', namespace, ownerReferences: ownedBy(stack) },
    stringData: { password: 'x' },
  });
  await client.create(Secret, {
    metadata: { name: 'web-config-digest', namespace, ownerReferences: ownedBy(config, true) },
  });
  await client.create(ConfigMap, { metadata: { name: 'unrelated', namespace } });
  await client.create(Deployment, {
    metadata: { name: 'web', namespace, ownerReferences: ownedBy(stack, true) },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    },
  });
}, 120_000);
afterAll(() => client?.close());

/** The NAME column of each row (the drawn tree), random suffixes of generated names replaced. */
function treeColumn(run: CliRun): string[] {
  const [header, ...rows] = run.stdout.split('\n');
  const start = header.indexOf(' NAME') + 1;
  const end = header.indexOf('READY');
  return rows.map((row) =>
    row
      .slice(start, end)
      .trimEnd()
      .replace(/(ReplicaSet\/web)-[a-z0-9]+/, '$1-<hash>')
      .replace(/(Pod\/web)-[a-z0-9]+-[a-z0-9]+/, '$1-<hash>-<id>'),
  );
}

describe('kubeforge tree', () => {
  it('prints the owner tree with READY, STATUS and AGE, down to the Pods the controllers made', async () => {
    const args = ['tree', 'stack/web', '-n', namespace, '--kubeconfig', testKubeconfigPath()];
    let run = await runCli(process.cwd(), args);
    await until(
      'the Deployment’s ReplicaSet and Pod in the tree',
      async () => {
        run = await runCli(process.cwd(), args);
        return run.code === 0 && run.stdout.includes('Pod/web-');
      },
      60_000,
    );
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+AGE$/);
    expect(treeColumn(run)).toEqual([
      'Stack/web',
      '├─ConfigMap/web-config',
      '│ └─Secret/web-config-digest',
      '├─Deployment/web',
      '│ └─ReplicaSet/web-<hash>',
      '│   └─Pod/web-<hash>-<id>',
      '└─Secret/web-credentials',
    ]);
    const rows = run.stdout.split('\n').slice(1);
    expect(rows[0]).toMatch(new RegExp(`^${namespace}\\s+Stack/web\\s+True\\s+Reconciled\\s+\\d+[smh]`));
    expect(rows[1]).toMatch(/ConfigMap\/web-config\s+-\s+\d+[smh]/);
    expect(rows[3]).toMatch(/Deployment\/web\s+(True|False|\d\/1)\s/);
    expect(rows[5]).toMatch(/Pod\/web-\S+\s+(False|True|-)\s+\S*/);
  });

  it('accepts the plural with its group, the short name and the kind', async () => {
    for (const type of ['stacks.tree.kubeforge.io', 'stk', 'Stack']) {
      const run = await runCli(process.cwd(), [
        'tree',
        `${type}/web`,
        '-n',
        namespace,
        '--kubeconfig',
        testKubeconfigPath(),
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(treeColumn(run)[0]).toBe('Stack/web');
    }
  });

  it("takes the namespace of the kubeconfig's context when -n is not given", async () => {
    const kubeconfig = parse(readFileSync(testKubeconfigPath(), 'utf8')) as {
      'current-context': string;
      contexts: { name: string; context: { namespace?: string } }[];
    };
    kubeconfig.contexts.find((entry) => entry.name === kubeconfig['current-context'])!.context.namespace = namespace;
    const path = join(mkdtempSync(join(tmpdir(), 'kubeforge-tree-kubeconfig-')), 'config');
    writeFileSync(path, stringify(kubeconfig));
    const run = await runCli(process.cwd(), ['tree', 'stack/web', '--kubeconfig', path]);
    expect(run.code, run.stderr).toBe(0);
    expect(treeColumn(run)[0]).toBe('Stack/web');
    expect(run.stdout.split('\n')[1]).toMatch(new RegExp(`^${namespace}\\s`));
  });

  it('starts anywhere in the tree: a ConfigMap shows only what it owns', async () => {
    const run = await runCli(process.cwd(), [
      'tree',
      'cm/web-config',
      '-n',
      namespace,
      '--kubeconfig',
      testKubeconfigPath(),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(treeColumn(run)).toEqual(['ConfigMap/web-config', '└─Secret/web-config-digest']);
  });

  it('fails with one clear line for an unknown type, a missing object, a malformed argument and an unreachable server', async () => {
    const cli = (...args: string[]) => runCli(process.cwd(), [...args, '--kubeconfig', testKubeconfigPath()]);
    const unknown = await cli('tree', 'gizmo/web', '-n', namespace);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('the server has no resource type "gizmo"');
    const missing = await cli('tree', 'stack/nope', '-n', namespace);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`Stack/nope not found in namespace ${namespace}`);
    const malformed = await cli('tree', 'web', '-n', namespace);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('"web" is not <type>/<name>');
    const badNamespace = await cli('tree', 'stack/web', '-n', 'Not_A_Namespace');
    expect(badNamespace.stderr).toContain('--namespace "Not_A_Namespace" is not a valid namespace name');
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'kubeforge-tree-gone-')), 'config');
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'gone',
        clusters: [{ name: 'gone', cluster: { server: 'https://127.0.0.1:1' } }],
        contexts: [{ name: 'gone', context: { cluster: 'gone' } }],
      }),
    );
    const unreachable = await runCli(process.cwd(), ['tree', 'stack/web', '--kubeconfig', kubeconfig]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^Error: cannot discover the API of https:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect(unreachable.stderr).not.toContain('--debug');
    for (const run of [unknown, missing, malformed, badNamespace, unreachable]) expect(run.stdout).toBe('');
  });
});
