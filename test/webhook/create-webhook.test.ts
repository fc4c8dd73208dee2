import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readProject } from '../../src/project/index.js';
import { INIT_ARGS, runCli, treeDigest, useWorkspace } from '../cli/cli-harness.js';

const GUESTBOOK = ['--group', 'webapp', '--kind', 'Guestbook'];
const webhook = (...flags: string[]) => ['create', 'webhook', '--yes', ...flags];
const createApi = (version: string) => ['create', 'api', '--yes', ...GUESTBOOK, '--version', version];

describe('kubeforge create webhook', () => {
  const ws = useWorkspace('create-webhook');
  const read = (path: string) => readFile(join(ws.project, path), 'utf8');

  beforeEach(async () => {
    for (const args of [INIT_ARGS, createApi('v1'), createApi('v2'), createApi('v3')]) {
      const run = await runCli(ws.project, args);
      expect(run.code, run.stderr).toBe(0);
    }
  });

  async function expectRejected(args: string[], message: RegExp): Promise<void> {
    const before = await treeDigest(ws.project);
    const run = await runCli(ws.project, args);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await treeDigest(ws.project)).toBe(before);
  }

  it('writes typed defaulting and validating webhooks, their markers, registration and PROJECT entry', async () => {
    const run = await runCli(
      ws.project,
      webhook(...GUESTBOOK, '--version', 'v1', '--defaulting', '--programmatic-validation'),
    );
    expect(run.code, run.stderr).toBe(0);
    for (const path of [
      'src/webhooks/v1/guestbook.webhook.ts',
      'src/webhooks/v1/guestbook.webhook.test.ts',
      'config/webhook/service.yaml',
      'config/certmanager/certificate.yaml',
      'config/default/manager_webhook_patch.yaml',
      'config/default/mutating_webhook_cainjection_patch.yaml',
      'config/default/validating_webhook_cainjection_patch.yaml',
    ]) {
      expect(run.stdout).toMatch(new RegExp(`^CREATE ${path.replaceAll('.', '\\.')}$`, 'm'));
    }
    const source = await read('src/webhooks/v1/guestbook.webhook.ts');
    expect(source).toContain('export class GuestbookDefaulter implements Defaulter<Guestbook>');
    expect(source).toContain(
      'validateUpdate(oldGuestbook: Guestbook, guestbook: Guestbook, ctx: AdmissionContext): Warnings',
    );
    expect(source).toContain(
      '// +kubebuilder:webhook:path=/mutate-webapp-example-com-v1-guestbook,mutating=true,failurePolicy=fail',
    );
    expect(source).toContain('// +kubebuilder:webhook:path=/validate-webapp-example-com-v1-guestbook,mutating=false');
    const main = await read('src/main.ts');
    expect(main).toContain("import { setupGuestbookV1Webhook } from './webhooks/v1/guestbook.webhook.js';");
    expect(main).toContain('setupGuestbookV1Webhook(mgr);');
    expect(await read('config/webhook/kustomization.yaml')).toMatch(/^- manifests\.yaml$/m);
    expect(JSON.parse(await read('package.json')).scripts['dev:webhooks']).toBe('kubeforge run --webhooks');
    expect(await read('config/default/kustomization.yaml')).toMatch(
      /^- \.\.\/webhook\n- \.\.\/certmanager\npatches:\n- path: manager_webhook_patch\.yaml$/m,
    );
    const project = await readProject(ws.project);
    expect(project.resources.find((r) => r.version === 'v1')?.webhooks).toEqual({
      defaulting: true,
      validation: true,
      conversion: false,
      spokes: [],
    });
    expect(project.resources.find((r) => r.version === 'v2')?.webhooks).toBeUndefined();
  });

  it('scaffolds hub conversion with a typed converter per spoke, and adds a later spoke to the hub', async () => {
    const first = await runCli(ws.project, webhook(...GUESTBOOK, '--version', 'v1', '--conversion', '--spoke', 'v2'));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(
      'note: Guestbook v1 is the hub: mark it (and only it) with // +kubebuilder:storageversion',
    );
    expect(await read('src/webhooks/v2/guestbook.converter.ts')).toContain(
      'export const guestbookV2Converter: SpokeConverter<GuestbookV2, GuestbookV1> = {',
    );
    expect(await read('src/main.ts')).toContain('setupGuestbookConversion(mgr);');
    expect(await read('src/main.ts')).not.toContain('Webhook(mgr)');

    const second = await runCli(ws.project, webhook(...GUESTBOOK, '--version', 'v1', '--conversion', '--spoke', 'v3'));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^UPDATE src\/webhooks\/v1\/guestbook\.conversion\.ts \(inserted at/m);
    const hub = await read('src/webhooks/v1/guestbook.conversion.ts');
    expect(hub).toMatch(
      /\.spoke\(GuestbookV2Kind, guestbookV2Converter\)\n\s+\.spoke\(GuestbookV3Kind, guestbookV3Converter\)\n\s+\/\/ \+kubeforge:scaffold:spokes/,
    );
    expect(hub).toContain("import { GuestbookKind as GuestbookV3Kind } from '../../../api/v3/guestbook.types.js';");
    expect((await readProject(ws.project)).resources[0].webhooks).toEqual({
      defaulting: false,
      validation: false,
      conversion: true,
      spokes: ['v2', 'v3'],
    });
  });

  it('is idempotent: the same command again with --force changes nothing, without --force it is refused', async () => {
    const args = webhook(...GUESTBOOK, '--version', 'v1', '--defaulting', '--conversion', '--spoke', 'v2,v3');
    expect((await runCli(ws.project, args)).code).toBe(0);
    const before = await treeDigest(ws.project);
    const again = await runCli(ws.project, [...args, '--force']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/^(CREATE|UPDATE) /m);
    expect(await treeDigest(ws.project)).toBe(before);
    await expectRejected(args, /Guestbook webapp\.example\.com\/v1 already has the --defaulting, --conversion webhook/);
  });

  it('asks for --force before rewriting a webhook file to add validation to a defaulter', async () => {
    expect((await runCli(ws.project, webhook(...GUESTBOOK, '--version', 'v1', '--defaulting'))).code).toBe(0);
    await expectRejected(
      webhook(...GUESTBOOK, '--version', 'v1', '--programmatic-validation'),
      /src\/webhooks\/v1\/guestbook\.webhook\.ts exists and does not have the validating webhook yet/,
    );
    const forced = await runCli(
      ws.project,
      webhook(...GUESTBOOK, '--version', 'v1', '--programmatic-validation', '--force'),
    );
    expect(forced.code, forced.stderr).toBe(0);
    const source = await read('src/webhooks/v1/guestbook.webhook.ts');
    expect(source).toContain('.withDefaulter(new GuestbookDefaulter())');
    expect(source).toContain('.withValidator(new GuestbookValidator())');
  });

  it('rejects bad input with an error naming the flag and writes nothing', async () => {
    await expectRejected(webhook(...GUESTBOOK, '--version', 'V1', '--defaulting'), /--version "V1" is invalid/);
    await expectRejected(
      webhook('--group', 'webapp', '--version', 'v1', '--kind', 'Shop', '--defaulting'),
      /--kind Shop: Shop webapp\.example\.com\/v1 is not in PROJECT[\s\S]*kubeforge create api --group webapp --version v1 --kind Shop/,
    );
    await expectRejected(
      webhook(...GUESTBOOK, '--version', 'v1'),
      /nothing to create: pass --defaulting, --programmatic-validation and\/or --conversion/,
    );
    await expectRejected(
      webhook(...GUESTBOOK, '--version', 'v1', '--defaulting', '--spoke', 'v2'),
      /--spoke needs --conversion/,
    );
    await expectRejected(webhook(...GUESTBOOK, '--version', 'v1', '--conversion'), /--conversion needs --spoke/);
    await expectRejected(
      webhook(...GUESTBOOK, '--version', 'v1', '--conversion', '--spoke', 'v9'),
      /--spoke v9: Guestbook webapp\.example\.com\/v9 is not in PROJECT/,
    );
    await expectRejected(
      webhook(...GUESTBOOK, '--version', 'v1', '--conversion', '--spoke', 'v1'),
      /--spoke v1 is the hub version itself/,
    );
    await expectRejected(
      webhook(...GUESTBOOK, '--version', 'v1', '--conversion', '--spoke', 'V2'),
      /--spoke "V2" is invalid/,
    );
    await expectRejected(webhook('--group', 'webapp', '--version', 'v1', '--defaulting'), /--kind/);
  });

  it('refuses a second hub for a kind', async () => {
    expect(
      (await runCli(ws.project, webhook(...GUESTBOOK, '--version', 'v1', '--conversion', '--spoke', 'v2'))).code,
    ).toBe(0);
    await expectRejected(
      webhook(...GUESTBOOK, '--version', 'v2', '--conversion', '--spoke', 'v3'),
      /--conversion: Guestbook already converts through hub v1/,
    );
  });

  it('refuses to run outside a project', async () => {
    const run = await runCli(ws.root, webhook(...GUESTBOOK, '--version', 'v1', '--defaulting'));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/not inside a kubeforge project/);
  });

  it('--dry-run reports what it would write and writes nothing', async () => {
    const before = await treeDigest(ws.project);
    const run = await runCli(ws.project, [...webhook(...GUESTBOOK, '--version', 'v1', '--defaulting'), '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^CREATE src\/webhooks\/v1\/guestbook\.webhook\.ts$/m);
    expect(run.stdout).toContain('nothing written');
    expect(await treeDigest(ws.project)).toBe(before);
  });
});
