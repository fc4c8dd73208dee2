/**
 * The inputs of `kubeforge import`: CRD YAML (one or many documents, a file or a folder) and plain
 * JSON Schema files. Each becomes a `SchemaSource`: a named schema, and for CRDs the group,
 * version, kind, plural and scope it belongs to (one per served version).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../../errors.js';
import type { JSONSchemaProps } from '../schema/index.js';
import { MAX_NESTING } from '../source/index.js';
import { tooDeepAt } from './nesting.js';

export interface SchemaSource {
  /** The file it came from (for the generated header and for errors). */
  file: string;
  /** TypeScript name of the root type: the kind, or the schema's title / file name. */
  name: string;
  schema: JSONSchemaProps;
  resource?: { group: string; version: string; kind: string; plural: string; namespaced: boolean };
}

interface CrdShape {
  kind?: string;
  apiVersion?: string;
  spec?: {
    group: string;
    names: { kind: string; plural: string };
    scope: string;
    versions?: { name: string; schema?: { openAPIV3Schema?: JSONSchemaProps } }[];
    /** apiextensions.k8s.io/v1beta1: one schema for every version. */
    version?: string;
    validation?: { openAPIV3Schema?: JSONSchemaProps };
  };
}

const SCHEMA_FILE = /\.(ya?ml|json)$/;

async function filesOf(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new UserError(`kubeforge import: ${path} does not exist`);
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { recursive: true });
  return entries
    .filter((e) => SCHEMA_FILE.test(e))
    .sort()
    .map((e) => join(path, e));
}

function pascal(text: string): string {
  return text
    .replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_, __, c: string) => c.toUpperCase())
    .replace(/^[0-9]/, (d) => `_${d}`);
}

function fromCrd(file: string, crd: CrdShape): SchemaSource[] {
  const spec = crd.spec;
  if (!spec?.names?.kind || !spec.group)
    throw new UserError(
      `kubeforge import: ${file} has a CustomResourceDefinition without spec.group or spec.names.kind`,
    );
  const versions = spec.versions ?? (spec.version ? [{ name: spec.version }] : []);
  return versions.flatMap((version) => {
    const schema = version.schema?.openAPIV3Schema ?? spec.validation?.openAPIV3Schema;
    if (!schema) return [];
    const resource = {
      group: spec.group,
      version: version.name,
      kind: spec.names.kind,
      plural: spec.names.plural,
      namespaced: spec.scope !== 'Cluster',
    };
    return [{ file, name: spec.names.kind, schema, resource }];
  });
}

const TOO_DEEP_HINT = `kubeforge imports schemas nested at most ${MAX_NESTING} levels (each property, array item, map value and member of anyOf/oneOf/allOf is a level), as deep as \`kubeforge manifests\` generates them; mark the deep part x-kubernetes-preserve-unknown-fields in a copy of the schema to import it as unknown`;

function tooDeepMessage(file: string, what = 'a document', path?: string[]): string {
  const at =
    path && path.length > 16
      ? `${path.slice(0, 8).join('')} … ${path.length - 16} more … ${path.slice(-8).join('')}`
      : path?.join('');
  return `kubeforge import: ${file}: ${what} nests more than ${MAX_NESTING} levels deep${at ? ` at ${at}` : ''}`;
}

/** Reads every CRD and JSON schema under `path`. */
export async function readSchemaSources(path: string): Promise<SchemaSource[]> {
  const sources: SchemaSource[] = [];
  for (const file of await filesOf(path)) {
    const text = await readFile(file, 'utf8');
    const documents = parseAllDocuments(text);
    for (const document of documents) {
      // The YAML parser recurses per level and reports running out of stack as resource exhaustion.
      if (document.errors.some((error) => error.code === 'RESOURCE_EXHAUSTION'))
        throw new UserError(tooDeepMessage(file), { hint: TOO_DEEP_HINT });
      if (document.errors.length > 0)
        throw new UserError(`kubeforge import: ${file} is not valid YAML/JSON: ${document.errors[0].message}`);
      const value = document.toJS() as (CrdShape & JSONSchemaProps & { $schema?: string }) | null;
      if (!value || typeof value !== 'object') continue;
      if (value.kind === 'CustomResourceDefinition') sources.push(...fromCrd(file, value));
      else if (value.type || value.properties || value.$schema) {
        const name = pascal(
          (value.title as string | undefined) ?? basename(file, extname(file)).replace(/\.schema$/, ''),
        );
        sources.push({ file, name, schema: value });
      }
    }
  }
  if (sources.length === 0)
    throw new UserError(`kubeforge import: no CustomResourceDefinition or JSON schema found in ${path}`);
  for (const source of sources) {
    const at = tooDeepAt(source.schema);
    const version = source.resource ? ` ${source.resource.version}` : '';
    if (at !== undefined)
      throw new UserError(tooDeepMessage(source.file, `${source.name}${version}`, at), { hint: TOO_DEEP_HINT });
  }
  return sources;
}
