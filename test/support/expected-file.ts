/**
 * Expected-file (snapshot) checks for fixture tests: `actual` must equal the checked-in file.
 * `UPDATE_FIXTURES=1` (re)writes the file after a deliberate change; a missing file is a failure,
 * never written on the fly, so a new fixture cannot pass with whatever the code produces.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

export function expectMatchesFile(actual: string, expectedPath: string, label = expectedPath): void {
  if (process.env.UPDATE_FIXTURES) {
    mkdirSync(dirname(expectedPath), { recursive: true });
    writeFileSync(expectedPath, actual);
  }
  if (!existsSync(expectedPath))
    throw new Error(`${expectedPath} does not exist: run with UPDATE_FIXTURES=1 to write it, then review it`);
  expect(actual, label).toBe(readFileSync(expectedPath, 'utf8'));
}
