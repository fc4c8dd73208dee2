/**
 * Core types follow the Kubernetes minor a project targets. The Go twin in `go/k8sminor` pins
 * k8s.io/api at v0.35 in its own go.mod; controller-gen v0.23.0 over it must give the same CRD as
 * `kubeforge manifests --kubernetes-version 1.35` (and PROJECT's `kubernetesVersion: "1.35"`). Fields
 * PodSpec gained in 1.36 (`schedulingGroup`) and 1.37 (`evictionResponders`) appear from their
 * minor on, and 1.35's `workloadRef` (dropped later) only at 1.35.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { generateManifests, type CustomResourceDefinition } from '../../src/codegen/index.js';
import { FixtureProjects } from '../codegen/fixture-projects.js';
import { testToolPath } from '../support/cluster.js';

const TWIN = join(import.meta.dirname, 'go', 'k8sminor');
const CRD_FILE = 'k8sminor.example.com_batchruns.yaml';

interface Schema {
  properties?: Record<string, Schema>;
}

const parseCrd = (text: string) => parseAllDocuments(text)[0].toJS() as CustomResourceDefinition;

/** Metadata without the annotation naming the generator. */
function withoutGenerator(crd: CustomResourceDefinition): CustomResourceDefinition {
  const annotations = Object.entries(crd.metadata.annotations ?? {}).filter(
    ([key]) => key !== 'kubeforge.io/generated-by' && key !== 'controller-gen.kubebuilder.io/version',
  );
  return { ...crd, metadata: { ...crd.metadata, annotations: Object.fromEntries(annotations) } };
}

function podSpecFields(crd: CustomResourceDefinition): string[] {
  const root = (crd.spec.versions[0].schema as { openAPIV3Schema: Schema }).openAPIV3Schema;
  return Object.keys(root.properties?.spec?.properties?.pod?.properties ?? {});
}

describe('core types of the targeted Kubernetes minor', () => {
  const out = mkdtempSync(join(tmpdir(), 'kubeforge-k8sminor-'));
  const projects = new FixtureProjects();
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    projects.cleanup();
  });

  beforeAll(async () => {
    await promisify(execFile)(
      testToolPath('controllerGen'),
      ['crd:allowDangerousTypes=true', 'paths=./...', `output:crd:dir=${out}`],
      { cwd: TWIN, env: { ...process.env, GOFLAGS: '-mod=mod' } },
    );
  }, 300_000);

  async function ours(options: { kubernetesVersion?: string; projectFile?: string } = {}) {
    const projectDir = projects.project(TWIN, 'k8sminor');
    if (options.projectFile) writeFileSync(join(projectDir, 'PROJECT'), options.projectFile);
    const result = await generateManifests({
      projectDir,
      kubeforgeVersion: '0.0.0-test',
      kubernetesVersion: options.kubernetesVersion,
    });
    return parseCrd([...result.files.values()][0]);
  }

  it('generates the same CRD as controller-gen over k8s.io/api v0.35 with --kubernetes-version 1.35', async () => {
    const theirs = parseCrd(readFileSync(join(out, CRD_FILE), 'utf8'));
    expect(withoutGenerator(await ours({ kubernetesVersion: '1.35' }))).toEqual(withoutGenerator(theirs));
  });

  it("takes the minor from PROJECT's kubernetesVersion", async () => {
    const theirs = parseCrd(readFileSync(join(out, CRD_FILE), 'utf8'));
    const projectFile = [
      'layout: kubeforge.io/v1',
      'domain: example.com',
      'projectName: batch',
      'kubernetesVersion: "1.35"',
      'resources: []',
      '',
    ].join('\n');
    expect(withoutGenerator(await ours({ projectFile }))).toEqual(withoutGenerator(theirs));
  });

  it('documents each PodSpec field from the minor that has it', async () => {
    const at135 = podSpecFields(await ours({ kubernetesVersion: '1.35' }));
    const at136 = podSpecFields(await ours({ kubernetesVersion: 'v1.36' }));
    const byDefault = podSpecFields(await ours());
    expect(at135).toContain('workloadRef');
    expect(at135).not.toContain('schedulingGroup');
    expect(at135).not.toContain('evictionResponders');
    expect(at136).toContain('schedulingGroup');
    expect(at136).not.toContain('evictionResponders');
    expect(byDefault).toContain('evictionResponders');
    expect(byDefault).not.toContain('workloadRef');
    expect(podSpecFields(await ours({ kubernetesVersion: '1.37.2' }))).toEqual(byDefault);
  });
});
