/**
 * Regenerates `core-schemas.generated.ts`: the structural schemas of the Kubernetes core types that
 * API types may reference by their `@kubernetes/client-node` names (`V1EnvVar`, `V1PodTemplateSpec`…).
 *
 * Sources: the OpenAPI v3 documents of one pinned Kubernetes version, as shipped in the Go module
 * `k8s.io/kubernetes` (`api/openapi-spec/v3`), for the structure; then, when a controller-gen binary
 * is given, controller-gen's own reading of k8s.io/api (validation markers, defaults, descriptions
 * with their line breaks) — see `augment-from-controller-gen.ts`. Run with:
 *   go mod download -json k8s.io/kubernetes@v1.37.2   # prints "Dir"
 *   npm test   # provisions controller-gen v0.23.0 into ~/.cache/kubeforge/tools
 *   npx esbuild scripts/core-schemas/generate.ts --bundle --packages=external --platform=node \
 *     --format=esm --outfile=scripts/core-schemas/gen.mjs \
 *     && node scripts/core-schemas/gen.mjs <Dir>/api/openapi-spec/v3 ~/.cache/kubeforge/tools/controller-gen \
 *     ; rm scripts/core-schemas/gen.mjs
 * (the bundle finds node_modules and test/parity/go from its own location).
 * Definitions are keyed by their client-node model name; `$ref`s point at those names. Only stable
 * versions that client-node models are kept; openapi-gen's implicit zero defaults and patch hints
 * are dropped.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { augmentFromControllerGen } from './augment-from-controller-gen.js';

export const KUBERNETES_VERSION = '1.37.2';

type Json = Record<string, unknown>;

const specDir = process.argv[2];
if (!specDir) throw new Error('usage: generate <k8s.io/kubernetes module dir>/api/openapi-spec/v3');

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const modelsDir = join(repoRoot, 'node_modules', '@kubernetes', 'client-node', 'dist', 'gen', 'models');
const clientNodeNames = new Set(
  readdirSync(modelsDir)
    .filter((f) => f.endsWith('.d.ts'))
    .map((f) => basename(f, '.d.ts')),
);

const definitions = new Map<string, Json>();
for (const file of readdirSync(specDir)) {
  if (!file.endsWith('_openapi.json')) continue;
  const doc = JSON.parse(readFileSync(join(specDir, file), 'utf8')) as {
    components?: { schemas?: Record<string, Json> };
  };
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) definitions.set(name, schema);
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

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
function keyOf(definition: string): string {
  return clientNodeName(definition) ?? 'Unnamed.' + definition;
}

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

const KEPT = [
  'description',
  'type',
  'format',
  'required',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
];

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

const output: Record<string, Json> = {};
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
  output[keyOf(definition)] = convert(schema, pending);
  definitionOf.set(keyOf(definition), definition);
  queue.push(...pending);
}
const controllerGen = process.argv[3];
if (controllerGen)
  augmentFromControllerGen(output, definitionOf, controllerGen, join(repoRoot, 'test', 'parity', 'go'));
for (const [definition, name] of Object.entries(SPECIAL)) {
  const description = definitions.get(definition)?.description;
  output[name] = { description };
}

const sorted = Object.fromEntries(
  Object.keys(output)
    .sort()
    .map((k) => [k, output[k]]),
);
const banner = `// Code generated by scripts/core-schemas/generate.ts from Kubernetes v${KUBERNETES_VERSION} OpenAPI v3. DO NOT EDIT.\n`;
const body =
  `export const CORE_SCHEMAS_KUBERNETES_VERSION = '${KUBERNETES_VERSION}';\n` +
  `export const CORE_SCHEMAS_JSON = ${JSON.stringify(JSON.stringify(sorted))};\n`;
writeFileSync(join(repoRoot, 'src', 'codegen', 'core-schemas', 'core-schemas.generated.ts'), banner + body);
console.log(`wrote ${Object.keys(sorted).length} core schemas`);
