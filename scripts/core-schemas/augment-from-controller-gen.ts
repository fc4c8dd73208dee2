/**
 * Optional second source for the core schemas: controller-gen run over k8s.io/api itself. The
 * OpenAPI document lacks what controller-gen reads from k8s.io/api's Go comments (validation
 * markers such as V1Condition's patterns and limits, `+structType=atomic`, `+default`), and its
 * descriptions have their line breaks folded. This writes a Go package with one field per core
 * type, runs controller-gen on it, and walks each field's expanded schema alongside the stored
 * definition (following `$ref`s) to take controller-gen's validation keywords, defaults and
 * descriptions, so core types come out as controller-gen emits them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

type Json = Record<string, unknown>;

const TAKEN = [
  'description',
  'default',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'x-kubernetes-validations',
  'x-kubernetes-map-type',
];

/** `io.k8s.api.core.v1.EnvVar` → Go import path and type name. */
function goTypeOf(definition: string): { path: string; name: string } | undefined {
  const api = /^io\.k8s\.api\.([a-z0-9]+)\.(v\d+)\.(\w+)$/.exec(definition);
  if (api) return { path: `k8s.io/api/${api[1]}/${api[2]}`, name: api[3] };
  const meta = /^io\.k8s\.apimachinery\.pkg\.apis\.meta\.v1\.(\w+)$/.exec(definition);
  return meta ? { path: 'k8s.io/apimachinery/pkg/apis/meta/v1', name: meta[1] } : undefined;
}

function goPackage(
  types: { key: string; definition: string }[],
  excluded: Set<string>,
): { source: string; fields: Map<string, string> } {
  const META = 'k8s.io/apimachinery/pkg/apis/meta/v1';
  const imports = new Map<string, string>([[META, 'metav1']]);
  const fields = new Map<string, string>();
  // controller-gen only treats root types with TypeMeta and ObjectMeta as kinds.
  const lines = ['\tmetav1.TypeMeta `json:",inline"`', '\tmetav1.ObjectMeta `json:"metadata,omitempty"`'];
  types.forEach(({ key, definition }, i) => {
    const go = goTypeOf(definition);
    if (!go || excluded.has(go.path)) return;
    const alias = imports.get(go.path) ?? `p${imports.size}`;
    imports.set(go.path, alias);
    fields.set(`f${i}`, key);
    lines.push(`\tF${i} *${alias}.${go.name} \`json:"f${i},omitempty"\``);
  });
  const importBlock = [...imports].map(([path, alias]) => `\t${alias} "${path}"`).join('\n');
  const source = `// +groupName=core.kubeforge.io\npackage v1\n\nimport (\n${importBlock}\n)\n\n// +kubebuilder:object:root=true\n\n// Everything has one field per core type.\ntype Everything struct {\n${lines.join('\n')}\n}\n`;
  return { source, fields };
}

/** The k8s.io/api packages named by controller-gen's errors (`…/k8s.io/api@v0.35.4/resource/v1/types.go:328:2: …`). */
function rejectedPackages(stderr: string): string[] {
  const paths = [...stderr.matchAll(/\/k8s\.io\/api@[^/]+\/([a-z0-9]+\/v\w+)\/[\w.]+\.go:\d+/g)].map(
    (m) => `k8s.io/api/${m[1]}`,
  );
  return [...new Set(paths)];
}

function take(stored: Json, generated: Json): void {
  for (const key of TAKEN) {
    if (generated[key] !== undefined) stored[key] = generated[key];
    else if (key !== 'description') delete stored[key];
  }
}

/** Walks a stored node and controller-gen's expansion of it together. */
function walk(stored: Json, generated: Json, definitions: Record<string, Json>, visited: Set<string>): void {
  const ref = stored.$ref as string | undefined;
  if (ref && definitions[ref] && !visited.has(ref)) {
    visited.add(ref);
    const { description: _fieldDoc, ...typeLevel } = generated;
    walk(definitions[ref], typeLevel, definitions, visited);
  }
  take(stored, generated);
  const properties = stored.properties as Record<string, Json> | undefined;
  const generatedProperties = generated.properties as Record<string, Json> | undefined;
  for (const [name, property] of Object.entries(properties ?? {})) {
    if (generatedProperties?.[name]) walk(property, generatedProperties[name], definitions, visited);
  }
  if (stored.items && generated.items) walk(stored.items as Json, generated.items as Json, definitions, visited);
  if (typeof stored.additionalProperties === 'object' && typeof generated.additionalProperties === 'object') {
    walk(stored.additionalProperties as Json, generated.additionalProperties as Json, definitions, visited);
  }
}

/**
 * Updates `definitions` (key → stored schema) in place. `definitionOf` maps each key to its OpenAPI
 * definition name; `apiVersion` is the k8s.io/api (and k8s.io/apimachinery) module version read
 * (`v0.35.4` for Kubernetes 1.35.4): a throw-away Go module requiring it is made and tidied.
 */
export function augmentFromControllerGen(
  definitions: Record<string, Json>,
  definitionOf: Map<string, string>,
  controllerGen: string,
  apiVersion: string,
): void {
  const work = mkdtempSync(join(tmpdir(), 'kubeforge-core-twin-'));
  try {
    writeFileSync(
      join(work, 'go.mod'),
      `module kubeforge.core/twin\n\ngo 1.26.0\n\nrequire (\n\tk8s.io/api ${apiVersion}\n\tk8s.io/apimachinery ${apiVersion}\n)\n`,
    );
    mkdirSync(join(work, 'core', 'v1'), { recursive: true });
    const types = [...definitionOf].map(([key, definition]) => ({ key, definition }));
    const excluded = new Set<string>();
    let fields: Map<string, string>;
    for (;;) {
      const goSource = goPackage(types, excluded);
      fields = goSource.fields;
      writeFileSync(join(work, 'core', 'v1', 'everything.go'), goSource.source);
      execFileSync('go', ['mod', 'tidy'], { cwd: work, stdio: 'inherit' });
      const run = spawnSync(
        controllerGen,
        ['crd:allowDangerousTypes=true', 'paths=./core/...', `output:crd:dir=${join(work, 'out')}`],
        { cwd: work, env: { ...process.env, GOFLAGS: '-mod=mod' }, encoding: 'utf8' },
      );
      if (run.status === 0) break;
      const rejected = rejectedPackages(run.stderr).filter((path) => !excluded.has(path));
      if (rejected.length === 0) throw new Error(`controller-gen failed:\n${run.stderr}`);
      // Types controller-gen cannot read at this version keep their OpenAPI form (a user's controller-gen fails on them too).
      console.log(`${apiVersion}: controller-gen rejects ${rejected.join(', ')}; their types keep the OpenAPI form`);
      for (const path of rejected) excluded.add(path);
    }
    const [file] = readdirSync(join(work, 'out'));
    const crd = parse(readFileSync(join(work, 'out', file), 'utf8')) as {
      spec: { versions: { schema: { openAPIV3Schema: { properties: Record<string, Json> } } }[] };
    };
    const generated = crd.spec.versions[0].schema.openAPIV3Schema.properties;
    const visited = new Set<string>();
    for (const [field, key] of fields) {
      if (!generated[field] || visited.has(key)) continue;
      visited.add(key);
      walk(definitions[key], generated[field], definitions, visited);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
