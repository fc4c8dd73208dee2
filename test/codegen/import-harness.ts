/**
 * What the import round trips share: an imported module made into API types of a throwaway
 * project (a CRD's kind marked root, or a JSON schema's type as the spec of a new kind), the CRD
 * `kubeforge manifests` generates from them, and the schema without descriptions.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { generateManifests, type CustomResourceDefinition, type JSONSchemaProps } from '../../src/codegen/index.js';
import { kubectl } from '../support/cluster.js';

export class ImportProjects {
  private readonly work = mkdtempSync(join(tmpdir(), 'kubeforge-import-projects-'));
  private count = 0;

  /** A project whose `api/v1` holds `types` (group `group`); returns its directory. */
  project(group: string, types: string): string {
    const dir = join(this.work, `p${++this.count}`);
    mkdirSync(join(dir, 'api', 'v1'), { recursive: true });
    writeFileSync(join(dir, 'api', 'v1', 'imported.types.ts'), `// +groupName=${group}\n${types}`);
    return dir;
  }

  /** Writes `text` to a file of the work folder and returns its path. */
  file(name: string, text: string): string {
    const path = join(this.work, name);
    writeFileSync(path, text);
    return path;
  }

  cleanup(): void {
    rmSync(this.work, { recursive: true, force: true });
  }
}

/** An imported CRD module as API types: its kind becomes the root type. */
export function kindTypes(module: string, kind: string): string {
  const declaration = `export interface ${kind} {`;
  if (!module.includes(declaration)) throw new Error(`the module declares no interface ${kind}`);
  return module.replace(declaration, `// +kubebuilder:object:root=true\n${declaration}`);
}

/** An imported JSON schema module as API types: its root type is the spec of a new kind `kind`. */
export function specTypes(module: string, root: string, kind: string): string {
  return (
    "import type { V1ObjectMeta } from '@kubernetes/client-node';\n" +
    module +
    `\n// +kubebuilder:object:root=true\nexport interface ${kind} {\n  apiVersion?: string;\n  kind?: string;\n  metadata?: V1ObjectMeta;\n  spec?: ${root};\n}\n`
  );
}

/** The one CRD `kubeforge manifests` generates in `projectDir`, as text and parsed. */
export async function generatedCrd(projectDir: string): Promise<{ text: string; crd: CustomResourceDefinition }> {
  const result = await generateManifests({ projectDir, kubeforgeVersion: '0.0.0-test' });
  const crds = [...result.files].filter(([path]) => path.startsWith('config/crd/')).map(([, text]) => text);
  if (crds.length !== 1) throw new Error(`expected one CRD, got ${crds.length}`);
  return { text: crds[0], crd: parseAllDocuments(crds[0])[0].toJS() as CustomResourceDefinition };
}

/** The schema of one version of a CRD. */
export function versionSchema(crd: CustomResourceDefinition, version: string): JSONSchemaProps {
  const entry = crd.spec.versions.find((v) => v.name === version);
  if (!entry) throw new Error(`${crd.metadata.name} has no version ${version}`);
  return (entry.schema as { openAPIV3Schema: JSONSchemaProps }).openAPIV3Schema;
}

/** The schema without descriptions. */
export function shape(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(shape);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => key !== 'description')
      .map(([key, value]) => [key, key === 'default' || key === 'example' || key === 'enum' ? value : shape(value)]),
  );
}

/** Creates an object with kubectl; resolves with the stored object or rejects with kubectl's message. */
export async function createObject(
  namespace: string,
  object: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const out = await kubectl(['create', '-n', namespace, '-o', 'json', '-f', '-'], { input: stringify(object) });
  return JSON.parse(out) as Record<string, unknown>;
}
