import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCRDs } from './crds.js';

const crd = (name: string, apiVersion = 'apiextensions.k8s.io/v1') =>
  `apiVersion: ${apiVersion}\nkind: CustomResourceDefinition\nmetadata:\n  name: ${name}\nspec:\n  group: example.com\n`;

describe('readCRDs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubeforge-crds-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every CRD document of the YAML and JSON files in a directory, skipping other kinds', async () => {
    writeFileSync(
      join(dir, 'b.yaml'),
      `${crd('bs.example.com')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n`,
    );
    writeFileSync(
      join(dir, 'a.json'),
      JSON.stringify({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'as.example.com' },
      }),
    );
    writeFileSync(join(dir, 'notes.txt'), crd('ignored.example.com'));
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'nested', 'c.yaml'), crd('cs.example.com'));

    const names = (await readCRDs([dir])).map((document) => document.metadata?.name);
    expect(names).toEqual(['as.example.com', 'bs.example.com']);
  });

  it('accepts single files and says which file holds an unsupported CRD version', async () => {
    const file = join(dir, 'old.yaml');
    writeFileSync(file, crd('olds.example.com', 'apiextensions.k8s.io/v1beta1'));
    await expect(readCRDs([file])).rejects.toThrow(`${file}: CRD olds.example.com uses apiextensions.k8s.io/v1beta1`);
  });

  it('fails clearly on a path that does not exist', async () => {
    await expect(readCRDs([join(dir, 'missing')])).rejects.toThrow(`CRD path ${join(dir, 'missing')} does not exist`);
  });
});
