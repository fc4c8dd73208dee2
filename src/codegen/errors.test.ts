/**
 * Error fixtures: `fixtures/crd/errors/<name>` (a types file or a folder of versions) must fail
 * with exactly the errors listed in `<name>.errors.txt` (file:line: message, one a line), and the
 * run must produce no files. UPDATE_FIXTURES=1 rewrites the expectations.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectMatchesFile } from '../../test/support/expected-file.js';
import { ERROR_FIXTURES, FixtureProjects, fixtureNames } from '../../test/codegen/fixture-projects.js';
import { ManifestError } from '../errors.js';
import { generateManifests } from './index.js';

const projects = new FixtureProjects();
afterAll(() => projects.cleanup());

describe('error fixtures', { timeout: 30_000 }, () => {
  it.each(fixtureNames(ERROR_FIXTURES))('reports every error of %s with file:line and writes nothing', async (name) => {
    const error = await generateManifests({
      projectDir: projects.project(ERROR_FIXTURES, name),
      kubeforgeVersion: '0.0.0-test',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ManifestError);
    const actual =
      (error as ManifestError).message
        .split('\n')
        .slice(1)
        .map((line) => line.trim())
        .join('\n') + '\n';
    const expectedPath = join(ERROR_FIXTURES, `${name}.errors.txt`);
    expectMatchesFile(actual, expectedPath);
  });
});
