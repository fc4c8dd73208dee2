/**
 * Error fixtures: `fixtures/crd/errors/<name>` (a types file or a folder of versions) must fail
 * with exactly the errors listed in `<name>.errors.txt` (file:line: message, one a line), and the
 * run must produce no files. UPDATE_FIXTURES=1 rewrites the expectations.
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
import { UserError } from '../cli/errors.js';
import { generateManifests } from './index.js';

const ERRORS = join(import.meta.dirname, '..', '..', 'fixtures', 'crd', 'errors');
const work = mkdtempSync(join(tmpdir(), 'kubeforge-errors-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function projectOf(name: string): string {
  const dir = join(work, name);
  const source = join(ERRORS, name);
  if (existsSync(source) && statSync(source).isDirectory()) cpSync(source, join(dir, 'api'), { recursive: true });
  else {
    mkdirSync(join(dir, 'api', 'v1'), { recursive: true });
    cpSync(join(ERRORS, `${name}.types.ts`), join(dir, 'api', 'v1', `${name}.types.ts`));
  }
  return dir;
}

const names = readdirSync(ERRORS)
  .filter((entry) => entry.endsWith('.types.ts') || statSync(join(ERRORS, entry)).isDirectory())
  .map((entry) => entry.replace(/\.types\.ts$/, ''))
  .sort();

describe('error fixtures', () => {
  it.each(names)('reports every error of %s with file:line and writes nothing', async (name) => {
    const error = await generateManifests({ projectDir: projectOf(name), kubeforgeVersion: '0.0.0-test' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    const actual =
      (error as UserError).message
        .split('\n')
        .slice(1)
        .map((line) => line.trim())
        .join('\n') + '\n';
    const expectedPath = join(ERRORS, `${name}.errors.txt`);
    if (process.env.UPDATE_FIXTURES || !existsSync(expectedPath)) writeFileSync(expectedPath, actual);
    expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
  });
});
