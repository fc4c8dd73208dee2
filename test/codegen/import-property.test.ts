/**
 * `kubeforge import` as a property: for random JSON schemas (references, cycles, unions, consts,
 * pattern properties, draft-07 bounds; see random-json-schema.ts) the import either refuses a
 * `$ref` cycle with no property in between, or gives a module that
 * - `kubeforge manifests` accepts (as the spec of a kind), and whose CRD the real apiserver accepts
 *   (server-side dry-run create on the shared control plane),
 * - imports back from that CRD, and both modules compile with `tsc --strict`.
 * The seed is fixed, so a run is repeatable; fast-check prints the failing schema.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { importSchemas, type ImportedModule } from '../../src/codegen/index.js';
import { apiRequest } from '../../src/envtest/api-requests.js';
import { UserError } from '../../src/errors.js';
import { testRestConfig } from '../support/cluster.js';
import { generatedCrd, ImportProjects, specTypes } from './import-harness.js';
import { randomJsonSchema } from './random-json-schema.js';
import { strictTypeCheck } from './strict-type-check.js';

const SEED = 20_261_128;
const RUNS = 150;
const projects = new ImportProjects();
afterAll(() => projects.cleanup());

describe('kubeforge import on random JSON schemas', () => {
  it(
    `gives types that compile strictly and CRDs the apiserver accepts (seed ${SEED}, ${RUNS} runs)`,
    { timeout: 900_000 },
    async () => {
      const modules: ImportedModule[] = [];
      let refused = 0;
      let run = 0;
      await fc.assert(
        fc.asyncProperty(randomJsonSchema, async (document) => {
          const n = ++run;
          const file = projects.file(`random-${n}.json`, JSON.stringify(document, null, 2));
          const imported = await importSchemas(file).catch((error: unknown) => error);
          if (imported instanceof UserError && /\$ref cycle .* has no property in between/.test(imported.message)) {
            refused++;
            return;
          }
          if (!Array.isArray(imported)) throw imported;
          const [module] = imported as ImportedModule[];
          const kind = `Random${n}`;
          const { text, crd } = await generatedCrd(
            projects.project(`r${n}.import.example.com`, specTypes(module.content, 'Random', kind)),
          );
          const response = await apiRequest(
            testRestConfig(),
            'POST',
            '/apis/apiextensions.k8s.io/v1/customresourcedefinitions?dryRun=All',
            crd,
          );
          expect(response.status, `the apiserver refused the CRD: ${response.body}\n${text}`).toBe(201);
          const crdFile = projects.file(`random-${n}.crd.yaml`, text);
          const [again] = await importSchemas(crdFile);
          modules.push(
            { path: `m${n}.ts`, content: module.content },
            { path: `m${n}-again.ts`, content: again.content },
          );
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      // Most documents import; the check below is not vacuous.
      expect(refused).toBeLessThan(RUNS / 2);
      expect(await strictTypeCheck('.import-property', modules)).toEqual([]);
    },
  );
});
