import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { INIT_ARGS, REPO, runCli, treeDigest, useWorkspace } from './cli-harness.js';

const api = (...flags: string[]) => ['create', 'api', '--yes', ...flags];
const webhook = (...flags: string[]) => ['create', 'webhook', '--yes', ...flags];
const DEPLOYMENT = ['--group', 'apps', '--version', 'v1', '--kind', 'Deployment', '--resource=false'];
const CERTIFICATE = ['--group', 'cert-manager', '--version', 'v1', '--kind', 'Certificate', '--resource=false'];
const IMPORTED = 'src/imports/cert-manager.io/v1.ts';

// Kinds the project does not define (built-in and external), the multigroup switch and --make:
// each bad combination fails naming the flag and the rule, exits non-zero and writes nothing.
describe('bad input for kinds defined elsewhere, edit and --make', () => {
  const ws = useWorkspace('bad-input-foreign', { once: true });
  beforeAll(async () => {
    expect((await runCli(ws.project, INIT_ARGS)).code).toBe(0);
    expect((await runCli(ws.project, api('--group', 'webapp', '--version', 'v1', '--kind', 'Guestbook'))).code).toBe(0);
    expect((await runCli(ws.project, api(...DEPLOYMENT))).code).toBe(0);
    const imported = await runCli(ws.project, [
      'import',
      join(REPO, 'fixtures/import/cert-manager-v1-certificates.yaml'),
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    await mkdir(join(ws.project, 'src/other'), { recursive: true });
    await writeFile(join(ws.project, 'src/other/types.ts'), 'export interface Unrelated { name?: string }\n');
  });

  async function expectRejected(args: string[], message: RegExp): Promise<void> {
    const before = await treeDigest(ws.project);
    const run = await runCli(ws.project, args);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await treeDigest(ws.project)).toBe(before);
  }

  it('rejects a kind the runtime has no built-in of, in a Kubernetes group', () =>
    expectRejected(
      api('--group', 'apps', '--version', 'v1', '--kind', 'Deploymnt', '--resource=false'),
      /--kind Deploymnt: kubeforge\/runtime has no built-in Deploymnt in apps\/v1[\s\S]*hint: built-in kinds: Namespace \(v1\)/,
    ));

  it('rejects a built-in kind at a version the runtime does not have', () =>
    expectRejected(
      api('--group', 'apps', '--version', 'v1beta1', '--kind', 'Deployment', '--resource=false'),
      /--kind Deployment: kubeforge\/runtime has no built-in Deployment in apps\/v1beta1/,
    ));

  it('rejects a --plural or --namespaced that contradicts the built-in kind', async () => {
    await expectRejected(
      api('--group', 'batch', '--version', 'v1', '--kind', 'Job', '--resource=false', '--plural', 'jobz'),
      /--plural jobz: the built-in Job \(batch\/v1\) is jobs/,
    );
    await expectRejected(
      api(
        '--group',
        'rbac.authorization',
        '--version',
        'v1',
        '--kind',
        'ClusterRole',
        '--resource=false',
        '--namespaced',
      ),
      /--namespaced=true: the built-in ClusterRole \(rbac\.authorization\.k8s\.io\/v1\) is cluster-scoped/,
    );
  });

  it('rejects a second controller for a built-in kind', () =>
    expectRejected(api(...DEPLOYMENT), /Deployment apps\/v1 already has a controller[\s\S]*hint: pass --force/));

  it('rejects a built-in kind recorded in PROJECT without --resource=false', () =>
    expectRejected(
      api('--group', 'apps', '--version', 'v1', '--kind', 'Deployment'),
      /Deployment apps\/v1 is defined elsewhere \(PROJECT records it\): pass --resource=false/,
    ));

  it("rejects --resource=false for a group that is neither the project's nor Kubernetes'", () =>
    expectRejected(
      api('--group', 'shop', '--version', 'v1', '--kind', 'Cart', '--resource=false'),
      /--resource=false: Cart shop\.example\.com\/v1 is not in PROJECT[\s\S]*hint: .*a Kubernetes group \(admission, .*apps.*\) or --external-api-path/,
    ));

  it('rejects --external-api-domain without --external-api-path', () =>
    expectRejected(
      api(...CERTIFICATE, '--external-api-domain', 'io'),
      /--external-api-domain needs --external-api-path/,
    ));

  it('rejects --external-api-path for an API created here (--resource left at true)', () =>
    expectRejected(
      api('--group', 'cert-manager', '--version', 'v1', '--kind', 'Certificate', '--external-api-path', IMPORTED),
      /--external-api-path and --external-api-domain are for a kind defined elsewhere[\s\S]*pass --resource=false/,
    ));

  it('rejects an --external-api-domain that is not a DNS subdomain', () =>
    expectRejected(
      api(...CERTIFICATE, '--external-api-path', IMPORTED, '--external-api-domain', 'I_O'),
      /--external-api-domain "I_O" is invalid: must be a DNS-1123 subdomain/,
    ));

  it('rejects an external module that is not in the project', () =>
    expectRejected(
      api(...CERTIFICATE, '--external-api-path', 'src/imports/missing.ts', '--external-api-domain', 'io'),
      /--external-api-path src\/imports\/missing\.ts: no such module in the project/,
    ));

  it('rejects an external module that does not export the kind', () =>
    expectRejected(
      api(...CERTIFICATE, '--external-api-path', 'src/other/types', '--external-api-domain', 'io'),
      /--external-api-path src\/other\/types\.ts: it does not export CertificateKind/,
    ));

  it('rejects an external group that is not the one the imported kind declares', () =>
    expectRejected(
      api(...CERTIFICATE, '--external-api-path', IMPORTED, '--external-api-domain', 'example.org'),
      /CertificateKind there is cert-manager\.io\/v1, not cert-manager\.example\.org\/v1/,
    ));

  it('rejects an npm package the project does not depend on', () =>
    expectRejected(
      api(...CERTIFICATE, '--external-api-path', '@acme/certificates-api', '--external-api-domain', 'io'),
      /--external-api-path @acme\/certificates-api: package @acme\/certificates-api is not in the dependencies of package\.json[\s\S]*hint: npm install @acme\/certificates-api/,
    ));

  it('rejects --external-api-path for a kind that is an API of this project', () =>
    expectRejected(
      api(
        '--group',
        'webapp',
        '--version',
        'v1',
        '--kind',
        'Guestbook',
        '--resource=false',
        '--external-api-path',
        IMPORTED,
      ),
      /--external-api-path: Guestbook webapp\.example\.com\/v1 is an API of this project/,
    ));

  it('rejects a conversion webhook for a kind defined elsewhere', () =>
    expectRejected(
      webhook('--group', 'core', '--version', 'v1', '--kind', 'Pod', '--conversion', '--spoke', 'v2'),
      /--conversion: Pod is defined elsewhere/,
    ));

  it('rejects a webhook for a kind of no Kubernetes group that PROJECT does not record', () =>
    expectRejected(
      webhook('--group', 'shop', '--version', 'v1', '--kind', 'Cart', '--defaulting'),
      /--kind Cart: Cart shop\.example\.com\/v1 is not in PROJECT/,
    ));

  it('rejects the external flags of create webhook as those of create api', async () => {
    const certificate = ['--group', 'cert-manager', '--version', 'v1', '--kind', 'Certificate', '--defaulting'];
    await expectRejected(
      webhook(...certificate, '--external-api-domain', 'io'),
      /--external-api-domain needs --external-api-path/,
    );
    await expectRejected(
      webhook(...certificate, '--external-api-path', 'src/other/types.ts', '--external-api-domain', 'io'),
      /--external-api-path src\/other\/types\.ts: it does not export CertificateKind/,
    );
    await expectRejected(
      webhook(...certificate, '--external-api-path', IMPORTED, '--external-api-domain', 'I_O'),
      /--external-api-domain "I_O" is invalid/,
    );
  });

  it('rejects edit without anything to change, and --multigroup that is neither true nor false', async () => {
    await expectRejected(['edit'], /nothing to edit: pass --multigroup and\/or --plugins helm/);
    await expectRejected(
      ['edit', '--multigroup=yes'],
      /--multigroup \[bool\]' argument 'yes' is invalid\. must be true or false/,
    );
  });

  it('rejects --make that is neither true nor false', () =>
    expectRejected(
      api('--group', 'webapp', '--version', 'v2', '--kind', 'Guestbook', '--make=sometimes'),
      /--make \[bool\]' argument 'sometimes' is invalid\. must be true or false/,
    ));
});
