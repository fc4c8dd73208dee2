/**
 * `kubeforge manifests --check` against the run's real kube-apiserver (its kubeconfig) and against
 * a local envtest started by the command: each rejection is listed at the TypeScript line or the
 * sample line it comes from, the exit code is 1, and nothing is written to the cluster or the disk.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { apiRequest } from '../../src/envtest/api-requests.js';
import { installCRDs } from '../../src/envtest/index.js';
import { testKubeconfigPath, testRestConfig } from '../support/cluster.js';
import { runCli, useWorkspace } from './cli-harness.js';

const TYPES_PATH = 'api/v1/widget.types.ts';
const SAMPLE_PATH = 'config/samples/widget.yaml';

/** A Widget kind in its own API group (the cluster is shared), with `fields` in its spec. */
function widgetTypes(group: string, fields: string): string {
  return `// +groupName=${group}
import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { int32 } from 'kubeforge/api';

/** Limits of a widget. */
export interface Limits {
  /** cpu limit. */
  cpu?: string;
}

/** WidgetSpec is the desired state. */
export interface WidgetSpec {
  /** replicas of the widget. */
  // +kubebuilder:validation:Minimum=1
  replicas?: int32;
${fields}}

// +kubebuilder:object:root=true
/** Widget is a test kind. */
export interface Widget {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec?: WidgetSpec;
}
`;
}

const COSTLY_RULE = `  /** matrix of names. */
  // +kubebuilder:validation:XValidation:rule="self.all(x, x.all(y, self.all(z, z.all(w, w == y))))",message="too costly"
  matrix?: string[][];
`;

const PRUNED_DEFAULT = `  /** limits of the widget. */
  // +kubebuilder:default={"cpu": "1", "memory": "1Gi"}
  limits?: Limits;
`;

const sample = (group: string, replicas: number) =>
  `# a widget\napiVersion: ${group}/v1\nkind: Widget\nmetadata:\n  name: widget-sample\nspec:\n  replicas: ${replicas}\n`;

/** The 1-based line of the first line of `text` containing `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

const workspace = useWorkspace('manifests-check');
const installed: string[] = [];

afterEach(async () => {
  for (const name of installed.splice(0))
    await apiRequest(testRestConfig(), 'DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
});

function project(fields: string, replicas?: number): { dir: string; group: string; types: string } {
  const group = `check-${randomBytes(4).toString('hex')}.example.com`;
  const dir = workspace.project;
  const types = widgetTypes(group, fields);
  mkdirSync(join(dir, 'api', 'v1'), { recursive: true });
  writeFileSync(join(dir, TYPES_PATH), types);
  if (replicas !== undefined) {
    mkdirSync(join(dir, 'config', 'samples'), { recursive: true });
    writeFileSync(join(dir, SAMPLE_PATH), sample(group, replicas));
  }
  return { dir, group, types };
}

async function crdStatus(name: string): Promise<number> {
  return (await apiRequest(testRestConfig(), 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`))
    .status;
}

const check = (dir: string, ...extra: string[]) =>
  runCli(dir, ['manifests', '--check', '--kubeconfig', testKubeconfigPath(), ...extra]);

describe('kubeforge manifests --check', { timeout: 180_000 }, () => {
  it('lists a CEL rule over the cost budget at its marker and the schema total at the kind, exits 1 and writes nothing', async () => {
    const { dir, group, types } = project(COSTLY_RULE);
    const run = await check(dir);
    expect(run.code).toBe(1);
    const crd = `widgets.${group}`;
    expect(run.stderr).toContain(
      `${TYPES_PATH}:${lineOf(types, 'XValidation')}: CRD ${crd}: spec.validation.openAPIV3Schema.properties[spec].properties[matrix].x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget`,
    );
    expect(run.stderr).toContain(
      `${TYPES_PATH}:${lineOf(types, 'export interface Widget {')}: CRD ${crd}: spec.validation.openAPIV3Schema: Forbidden: x-kubernetes-validations estimated rule cost total`,
    );
    expect(await crdStatus(crd)).toBe(404);
    expect(existsSync(join(dir, 'config'))).toBe(false);
  });

  it('refuses a default that pruning would drop at its field, before asking the apiserver', async () => {
    const { dir, types } = project(PRUNED_DEFAULT);
    const run = await check(dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${TYPES_PATH}:${lineOf(types, 'limits?: Limits')}: the default of "limits" fails its own schema: limits.memory is not a field of the schema (the apiserver prunes unknown fields`,
    );
  });

  it('passes a clean project, and notes the samples whose CRD the cluster does not serve as generated', async () => {
    const { dir, group } = project('', 3);
    const run = await check(dir);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain(
      `checked 1 CRD(s) and 0 sample(s) against ${testRestConfig().server} (dry run): no rejections`,
    );
    expect(run.stderr).toContain(
      `note: ${SAMPLE_PATH}: Widget widget-sample not checked: the cluster does not serve CRD widgets.${group} as generated`,
    );
    expect(await crdStatus(`widgets.${group}`)).toBe(404);
  });

  it('dry-runs an update of a CRD the cluster has, and lists a sample under its minimum at its line', async () => {
    const { dir, group } = project('', 0);
    expect((await runCli(dir, ['manifests'])).code).toBe(0);
    const crd = `widgets.${group}`;
    installed.push(crd);
    await installCRDs(testRestConfig(), [join(dir, 'config', 'crd', 'bases')]);
    const before = JSON.parse(
      (await apiRequest(testRestConfig(), 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd}`))
        .body,
    ) as { metadata: { resourceVersion: string } };

    const run = await check(dir);
    expect(run.code).toBe(1);
    const text = readFileSync(join(dir, SAMPLE_PATH), 'utf8');
    expect(run.stderr).toContain(
      `${SAMPLE_PATH}:${lineOf(text, 'replicas:')}: Widget widget-sample: spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1`,
    );
    const after = JSON.parse(
      (await apiRequest(testRestConfig(), 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd}`))
        .body,
    ) as { metadata: { resourceVersion: string } };
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    const samples = await apiRequest(testRestConfig(), 'GET', `/apis/${group}/v1/namespaces/default/widgets`);
    expect(JSON.parse(samples.body)).toMatchObject({ items: [] });

    writeFileSync(join(dir, SAMPLE_PATH), sample(group, 2));
    const fixed = await check(dir);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('checked 1 CRD(s) and 1 sample(s)');
  });

  it('with --envtest starts a local control plane, installs the CRDs there and checks the samples', async () => {
    const { dir } = project('', 0);
    const run = await runCli(dir, ['manifests', '--check', '--envtest']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('a local envtest control plane (Kubernetes 1.37.2) rejects this:');
    expect(run.stderr).toContain(
      `${SAMPLE_PATH}:7: Widget widget-sample: spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1`,
    );
  });
});
