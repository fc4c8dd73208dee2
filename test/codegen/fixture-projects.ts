/**
 * Lays CRD fixtures out as throwaway projects: `fixtures/crd/<name>.types.ts` becomes
 * `api/v1/<name>.types.ts`, a folder `fixtures/crd/<name>/` becomes `api/` (one subfolder per
 * version). Shared by the snapshot tests, the error tests and the apiserver tests.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CRD_FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'crd');
export const ERROR_FIXTURES = join(CRD_FIXTURES, 'errors');

/** Fixture names in a folder: `<name>.types.ts` files and version folders (not `errors/`). */
export function fixtureNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((entry) => entry.endsWith('.types.ts') || (entry !== 'errors' && statSync(join(dir, entry)).isDirectory()))
    .map((entry) => entry.replace(/\.types\.ts$/, ''))
    .sort();
}

export class FixtureProjects {
  private readonly work = mkdtempSync(join(tmpdir(), 'kubeforge-fixtures-'));

  /** Copies fixture `name` from `dir` into a fresh project and returns the project directory. */
  project(dir: string, name: string): string {
    const projectDir = join(this.work, name);
    rmSync(projectDir, { recursive: true, force: true });
    const source = join(dir, name);
    if (existsSync(source) && statSync(source).isDirectory())
      cpSync(source, join(projectDir, 'api'), { recursive: true });
    else {
      mkdirSync(join(projectDir, 'api', 'v1'), { recursive: true });
      cpSync(join(dir, `${name}.types.ts`), join(projectDir, 'api', 'v1', `${name}.types.ts`));
    }
    return projectDir;
  }

  cleanup(): void {
    rmSync(this.work, { recursive: true, force: true });
  }
}
