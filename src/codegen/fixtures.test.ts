/**
 * Fixture-driven snapshots: every `fixtures/crd/<name>.types.ts` (or `fixtures/crd/<name>/<version>/…`
 * for several versions) is generated as `api/` of a throwaway project and must produce
 * `fixtures/crd/<name>.crd.yaml`. Run with UPDATE_FIXTURES=1 to (re)write the expected files.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectMatchesFile } from '../../test/support/expected-file.js';
import { CRD_FIXTURES, FixtureProjects, fixtureNames } from '../../test/codegen/fixture-projects.js';
import { generateManifests } from './index.js';

const projects = new FixtureProjects();
afterAll(() => projects.cleanup());

describe('CRD fixtures', { timeout: 30_000 }, () => {
  it.each(fixtureNames(CRD_FIXTURES))('generates the expected CRD for %s', { timeout: 30_000 }, async (name) => {
    const result = await generateManifests({
      projectDir: projects.project(CRD_FIXTURES, name),
      kubeforgeVersion: '0.0.0-test',
    });
    const crds = [...result.files]
      .filter(([path]) => path.startsWith('config/crd/'))
      .sort(([a], [b]) => a.localeCompare(b));
    expect(crds.length).toBeGreaterThan(0);
    const actual = crds.map(([, text]) => text).join('');
    const expectedPath = join(CRD_FIXTURES, `${name}.crd.yaml`);
    expectMatchesFile(actual, expectedPath);
  });

  it('is deterministic: a second run produces identical bytes', async () => {
    const options = { projectDir: projects.project(CRD_FIXTURES, 'validation'), kubeforgeVersion: '0.0.0-test' };
    const first = await generateManifests(options);
    const second = await generateManifests(options);
    expect([...second.files]).toEqual([...first.files]);
  });
});
