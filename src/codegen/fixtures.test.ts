/**
 * Fixture-driven snapshots: every `fixtures/crd/<name>.types.ts` (or `fixtures/crd/<name>/<version>/…`
 * for several versions) is generated as `api/<version>/` of a throwaway project and must produce
 * `fixtures/crd/<name>.crd.yaml`. Run with UPDATE_FIXTURES=1 to (re)write the expected files.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateManifests } from './index.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'crd');
const work = mkdtempSync(join(tmpdir(), 'kubeforge-fixtures-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Lays a fixture out as a project and returns its directory. */
export function projectOf(name: string): string {
  const dir = join(work, name);
  const source = join(FIXTURES, name);
  if (existsSync(source) && statSync(source).isDirectory()) cpSync(source, join(dir, 'api'), { recursive: true });
  else {
    mkdirSync(join(dir, 'api', 'v1'), { recursive: true });
    cpSync(join(FIXTURES, `${name}.types.ts`), join(dir, 'api', 'v1', `${name}.types.ts`));
  }
  return dir;
}

const names = readdirSync(FIXTURES)
  .filter(
    (entry) => entry.endsWith('.types.ts') || (entry !== 'errors' && statSync(join(FIXTURES, entry)).isDirectory()),
  )
  .map((entry) => entry.replace(/\.types\.ts$/, ''))
  .sort();

describe('CRD fixtures', () => {
  it.each(names)('generates the expected CRD for %s', { timeout: 30_000 }, async (name) => {
    const result = await generateManifests({ projectDir: projectOf(name), kubeforgeVersion: '0.0.0-test' });
    const crds = [...result.files]
      .filter(([path]) => path.startsWith('config/crd/'))
      .sort(([a], [b]) => a.localeCompare(b));
    expect(crds.length).toBeGreaterThan(0);
    const actual = crds.map(([, text]) => text).join('');
    const expectedPath = join(FIXTURES, `${name}.crd.yaml`);
    if (process.env.UPDATE_FIXTURES || !existsSync(expectedPath)) writeFileSync(expectedPath, actual);
    expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
  });
});
