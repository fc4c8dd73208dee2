/**
 * The structural part of the core schemas: one Kubernetes version's OpenAPI v3 documents (as shipped
 * in the Go module `k8s.io/kubernetes`, `api/openapi-spec/v3`) read into definitions keyed by their
 * `@kubernetes/client-node` model names, with `$ref`s pointing at those names. Only stable versions
 * that client-node models are kept; openapi-gen's implicit zero defaults and patch hints are dropped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export type Json = Record<string, unknown>;

/** Definitions handled in code (scalars with special CRD encodings). */
const SPECIAL: Record<string, string> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'Quantity',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'IntOrString',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': 'Time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': 'MicroTime',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Duration': 'Duration',
  'io.k8s.apimachinery.pkg.runtime.RawExtension': 'RawExtension',
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': 'V1ObjectMeta',
};

const KEPT = [
  'description',
  'type',
  'format',
  'required',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
];

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const isZero = (v: unknown) => v === 0 || v === '' || v === false || (Array.isArray(v) && v.length === 0);

/**
 * openapi-gen gives required fields an implicit zero default and struct fields `{}`; only explicit
 * `+default` markers (on optional fields) are real defaults, as controller-gen emits them.
 */
function keepDefault(value: unknown, required: boolean): boolean {
  const emptyObject =
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
  return !emptyObject && !(required && isZero(value));
}

/** The client-node model names (`V1EnvVar`, …) of the installed `@kubernetes/client-node`. */
export function clientNodeModelNames(repoRoot: string): Set<string> {
  const modelsDir = join(repoRoot, 'node_modules', '@kubernetes', 'client-node', 'dist', 'gen', 'models');
  return new Set(
    readdirSync(modelsDir)
      .filter((f) => f.endsWith('.d.ts'))
      .map((f) => basename(f, '.d.ts')),
  );
}

export interface CoreDefinitions {
  /** Client-node name → stored schema. */
  schemas: Record<string, Json>;
  /** Client-node name → OpenAPI definition name (`io.k8s.api.core.v1.EnvVar`), for the types read from Go. */
  definitionOf: Map<string, string>;
}

/** Every OpenAPI definition of the `*_openapi.json` documents in `specDir`, by definition name. */
export function readOpenApiDefinitions(specDir: string): Map<string, Json> {
  const definitions = new Map<string, Json>();
  for (const file of readdirSync(specDir)) {
    if (!file.endsWith('_openapi.json')) continue;
    const doc = JSON.parse(readFileSync(join(specDir, file), 'utf8')) as {
      components?: { schemas?: Record<string, Json> };
    };
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) definitions.set(name, schema);
  }
  return definitions;
}

/** Converts the stable definitions that client-node names, and what they reference. */
export function coreDefinitions(definitions: Map<string, Json>, clientNodeNames: Set<string>): CoreDefinitions {
  /** `io.k8s.api.core.v1.EnvVar` → `V1EnvVar` (or `CoreV1Event` where client-node disambiguates). */
  function clientNodeName(definition: string): string | undefined {
    const m =
      /^io\.k8s\.(?:api\.([a-z0-9]+)|apimachinery\.pkg\.apis\.(meta)|kube-aggregator\.pkg\.apis\.(apiregistration)|apiextensions-apiserver\.pkg\.apis\.(apiextensions))\.(v\d+)\.(\w+)$/.exec(
        definition,
      );
    if (!m) return undefined;
    const group = m[1] ?? m[2] ?? m[3] ?? m[4];
    const [version, name] = [m[5], m[6]];
    const qualified = capitalize(group) + capitalize(version) + name;
    if (clientNodeNames.has(qualified)) return qualified;
    const plain = capitalize(version) + name;
    return clientNodeNames.has(plain) ? plain : undefined;
  }

  /** Types client-node (older than the pinned version) lacks are still needed when referenced. */
  const keyOf = (definition: string) => clientNodeName(definition) ?? 'Unnamed.' + definition;

  function convert(schema: Json, pending: string[], required = false): Json {
    const out: Json = {};
    const ref =
      (schema.$ref as string | undefined) ?? ((schema.allOf as Json[] | undefined)?.[0]?.$ref as string | undefined);
    if (ref) {
      const target = ref.replace('#/components/schemas/', '');
      const name = SPECIAL[target] ?? keyOf(target);
      if (!SPECIAL[target]) pending.push(target);
      out.$ref = name;
    }
    for (const key of KEPT) if (schema[key] !== undefined) out[key] = schema[key];
    if (schema.default !== undefined && keepDefault(schema.default, required)) out.default = schema.default;
    if (schema.properties) {
      const requiredNames = (schema.required as string[] | undefined) ?? [];
      out.properties = Object.fromEntries(
        Object.entries(schema.properties as Record<string, Json>).map(([k, v]) => [
          k,
          convert(v, pending, requiredNames.includes(k)),
        ]),
      );
    }
    if (schema.items) out.items = convert(schema.items as Json, pending);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      out.additionalProperties = convert(schema.additionalProperties as Json, pending);
    }
    return out;
  }

  const schemas: Record<string, Json> = {};
  const definitionOf = new Map<string, string>();
  const queue = [...definitions.keys()].filter((d) => clientNodeName(d) && !SPECIAL[d] && /\.v\d+\.\w+$/.test(d));
  const seen = new Set<string>();
  while (queue.length > 0) {
    const definition = queue.shift()!;
    if (seen.has(definition)) continue;
    seen.add(definition);
    const schema = definitions.get(definition);
    if (!schema || schema['x-kubernetes-group-version-kind'] || definition.endsWith('List')) continue;
    const pending: string[] = [];
    schemas[keyOf(definition)] = convert(schema, pending);
    definitionOf.set(keyOf(definition), definition);
    queue.push(...pending);
  }
  return { schemas, definitionOf };
}

/** The special scalars' entries: their descriptions only (their schemas are built in code). */
export function specialDefinitions(definitions: Map<string, Json>): Record<string, Json> {
  return Object.fromEntries(
    Object.entries(SPECIAL).map(([definition, name]) => [
      name,
      { description: definitions.get(definition)?.description },
    ]),
  );
}
