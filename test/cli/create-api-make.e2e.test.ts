import { existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { installCRDs } from '../../src/envtest/index.js';
import { testRestConfig } from '../support/cluster.js';
import { CLI, scaffoldInstalledProject, sh, useWorkspace } from './cli-harness.js';

const TEN_MINUTES = 600_000;
const createApi = (kind: string, ...flags: string[]) => [
  CLI,
  'create',
  'api',
  '--group',
  'maketest',
  '--version',
  'v1',
  '--kind',
  kind,
  '--yes',
  ...flags,
];

// kubebuilder's `create api --make`: after scaffolding an API the project's own `npm run manifests`
// runs (by default once the project's dependencies are installed), so the CRD is there at once.
describe('create api --make', () => {
  const ws = useWorkspace('create-api-make', { once: true });
  const crd = (plural: string) => join(ws.project, `config/crd/bases/maketest.example.com_${plural}.yaml`);
  beforeAll(() => scaffoldInstalledProject(ws.project, []), TEN_MINUTES);

  it(
    'runs npm run manifests by default in an installed project; the CRD it writes is accepted by the apiserver',
    { timeout: TEN_MINUTES },
    async () => {
      const output = await sh(ws.project, process.execPath, createApi('Ledger'));
      expect(output).toContain('Running npm run manifests (--make=false skips it)');
      expect(existsSync(crd('ledgers'))).toBe(true);
      await installCRDs(testRestConfig(), [crd('ledgers')], 60_000);
    },
  );

  it('--make=false leaves the manifests alone', { timeout: TEN_MINUTES }, async () => {
    const output = await sh(ws.project, process.execPath, createApi('Receipt', '--make=false'));
    expect(output).not.toContain('Running npm run manifests');
    expect(existsSync(crd('receipts'))).toBe(false);
  });

  it(
    'fails naming --make when npm run manifests fails, after writing the scaffold',
    { timeout: TEN_MINUTES },
    async () => {
      await appendFile(
        join(ws.project, 'api/v1/ledger.types.ts'),
        '\n// +kubebuilder:validation:Minimum=many\nexport type Count = number;\n',
      );
      const failure = await sh(ws.project, process.execPath, createApi('Invoice', '--make')).then(
        () => 'succeeded',
        (error: Error) => error.message,
      );
      expect(failure).toMatch(/api\/v1\/ledger\.types\.ts:\d+/);
      expect(failure).toMatch(/--make: npm run manifests failed \(exit code 1\); the scaffolded files are written/);
      expect(existsSync(join(ws.project, 'api/v1/invoice.types.ts'))).toBe(true);
    },
  );
});
