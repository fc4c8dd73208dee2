/**
 * `importSchemas` on real-world CRDs (Gateway API v1.0.0, the Prometheus Operator's v1beta1 CRD)
 * and a plain JSON schema: snapshots in `fixtures/import/expected/` (UPDATE_FIXTURES=1 rewrites
 * them), and every generated module type-checks strictly.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectMatchesFile } from '../../../test/support/expected-file.js';
import { deepCrd } from '../../../test/codegen/deep-types.js';
import { strictTypeCheck } from '../../../test/codegen/strict-type-check.js';
import { UserError } from '../../errors.js';
import { importSchemas, type ImportedModule } from '../index.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const FIXTURES = join(REPO, 'fixtures', 'import');
const EXPECTED = join(FIXTURES, 'expected');

/** The header names the source file; make it repo-relative so snapshots do not depend on the checkout path. */
const portable = (modules: ImportedModule[]) =>
  modules.map((m) => ({ ...m, content: m.content.replaceAll(REPO + '/', '') }));

function expectSnapshots(modules: ImportedModule[]): void {
  for (const module of portable(modules)) {
    expectMatchesFile(module.content, join(EXPECTED, module.path), module.path);
  }
}

describe('kubeforge import', () => {
  const all: ImportedModule[] = [];

  it(
    'turns the Gateway API CRDs (460 KiB, three versions) into one module per group/version',
    { timeout: 60_000 },
    async () => {
      const modules = await importSchemas(join(FIXTURES, 'gateway-api-v1.0.0-standard-install.yaml'));
      expect(modules.map((m) => m.path)).toEqual([
        'gateway.networking.k8s.io/v1.ts',
        'gateway.networking.k8s.io/v1alpha2.ts',
        'gateway.networking.k8s.io/v1beta1.ts',
      ]);
      const v1 = modules[0].content;
      for (const kind of ['Gateway', 'GatewayClass', 'HTTPRoute']) {
        expect(v1).toContain(`export interface ${kind} {`);
        expect(v1).toContain(`export const ${kind}Kind = {`);
      }
      expect(v1).toContain("export const apiVersion = 'gateway.networking.k8s.io/v1';");
      expect(v1).toMatch(/export interface GatewayStatus \{/);
      expectSnapshots(modules);
      all.push(...modules);
    },
  );

  it('reads apiextensions.k8s.io/v1beta1 CRDs (one schema for the version)', { timeout: 60_000 }, async () => {
    const modules = await importSchemas(join(FIXTURES, 'prometheus-operator-v1beta1-crd.yaml'));
    expect(modules.map((m) => m.path)).toEqual(['monitoring.coreos.com/v1.ts']);
    expect(modules[0].content).toContain('export interface PrometheusSpec {');
    expectSnapshots(modules);
    all.push(...modules);
  });

  it('names a plain JSON schema after its title and maps Kubernetes extensions', async () => {
    const [module] = await importSchemas(join(FIXTURES, 'widget.schema.json'));
    expect(module.path).toBe('Widget.ts');
    expect(module.content).toContain("import type { IntOrString, int32 } from 'kubeforge/api';");
    expect(module.content).toContain('port?: IntOrString;');
    expect(module.content).toMatch(/extra\?: \{\n\s+\[k: string\]: unknown;\n\s+\};/);
    expectSnapshots([module]);
    all.push(module);
  });

  it('generates modules that type-check strictly', { timeout: 120_000 }, async () => {
    expect(all.map((module) => module.path)).toEqual([
      'gateway.networking.k8s.io/v1.ts',
      'gateway.networking.k8s.io/v1alpha2.ts',
      'gateway.networking.k8s.io/v1beta1.ts',
      'monitoring.coreos.com/v1.ts',
      'Widget.ts',
    ]);
    expect(await strictTypeCheck('.import-check', all)).toEqual([]);
  });
});

describe('kubeforge import of schemas nested too deeply', () => {
  const work = mkdtempSync(join(tmpdir(), 'kubeforge-import-deep-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** Imports a CRD nested `levels` deep; resolves with its path and the UserError it must fail with. */
  async function importError(levels: number): Promise<{ path: string; error: UserError }> {
    const path = join(work, `deep-${levels}.json`);
    writeFileSync(path, JSON.stringify(deepCrd(levels)));
    const error = await importSchemas(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    return { path, error: error as UserError };
  }

  it('refuses a CRD nested past the limit, naming the kind, version and path', async () => {
    const { path, error } = await importError(300);
    expect(error.message).toBe(
      `kubeforge import: ${path}: Deep v1 nests more than 256 levels deep at .spec${'.a'.repeat(7)} … 241 more … ${'.a'.repeat(8)}`,
    );
    expect(error.hint).toMatch(/imports schemas nested at most 256 levels/);
  });

  it('refuses a document too deep for the YAML parser with the same message, not a stack overflow', async () => {
    const { path, error } = await importError(2000);
    expect(error.message).toBe(`kubeforge import: ${path}: a document nests more than 256 levels deep`);
  });
});
