/**
 * The inputs of `kubeforge import`: CRD YAML (one or many documents, a file or a folder) and plain
 * JSON Schema files. Each becomes a `SchemaSource`: a named schema, and for CRDs the group,
 * version, kind, plural and scope it belongs to (one per served version).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../../errors.js';
import type { JSONSchemaProps } from '../schema/index.js';
import { MAX_NESTING } from '../source/index.js';
import { tooDeepAt } from './nesting.js';
import { typeName } from './normalize.js';

export interface SchemaSource {
  /** The file it came from (for errors). */
  file: string;
  /** The files it came from as the generated header names them: relative to the input, never absolute. */
  shownAs: string[];
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

/** A document with one of these at its root is a JSON schema. */
const JSON_SCHEMA_KEYS = ['$schema', 'type', 'properties', '$ref', 'oneOf', 'anyOf', 'allOf', 'enum', 'const'];

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

function fromCrd(file: string, shownAs: string, crd: CrdShape): SchemaSource[] {
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
    return [{ file, shownAs: [shownAs], name: typeName(spec.names.kind), schema, resource }];
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
  const isDirectory = (await stat(path).catch(() => undefined))?.isDirectory();
  for (const file of await filesOf(path)) {
    const shownAs = isDirectory ? relative(path, file) : basename(file);
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
      if (value.kind === 'CustomResourceDefinition') sources.push(...fromCrd(file, shownAs, value));
      else if (JSON_SCHEMA_KEYS.some((key) => key in value)) {
        const name = typeName(
          (value.title as string | undefined) ?? basename(file, extname(file)).replace(/\.schema$/, ''),
        );
        sources.push({ file, shownAs: [shownAs], name, schema: value });
      }
    }
  }
  if (sources.length === 0)
    throw new UserError(`kubeforge import: no CustomResourceDefinition or JSON schema found in ${path}`);
  const unique = withoutRepeats(sources);
  for (const source of unique) {
    const at = tooDeepAt(source.schema);
    const version = source.resource ? ` ${source.resource.version}` : '';
    if (at !== undefined)
      throw new UserError(tooDeepMessage(source.file, `${source.name}${version}`, at), { hint: TOO_DEEP_HINT });
  }
  return unique;
}

/** Where a source's module and root type are: its group/version/kind, or a JSON schema's name. */
const identity = (s: SchemaSource) =>
  s.resource ? `${s.resource.group}/${s.resource.version} ${s.resource.kind}` : `JSON schema ${s.name}`;

/**
 * One source per kind and version (or JSON schema name): a CRD found twice (a directory holding
 * both a chart's copy and the release's) is one, naming both files; two different schemas for one
 * kind are an error naming both files.
 */
function withoutRepeats(sources: SchemaSource[]): SchemaSource[] {
  const kept = new Map<string, SchemaSource>();
  for (const source of sources) {
    const key = identity(source);
    const first = kept.get(key);
    if (!first) kept.set(key, { ...source, shownAs: [...source.shownAs] });
    else if (
      JSON.stringify(first.schema) === JSON.stringify(source.schema) &&
      first.resource?.plural === source.resource?.plural
    )
      first.shownAs.push(...source.shownAs.filter((f) => !first.shownAs.includes(f)));
    else
      throw new UserError(
        `kubeforge import: ${identity(source)} is defined twice, differently: in ${first.file} and in ${source.file}`,
        { hint: 'import one of them (remove the other from the directory), or give the JSON schemas different titles' },
      );
  }
  return [...kept.values()];
}
