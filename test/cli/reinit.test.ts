import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { INIT_ARGS, readTree, runCli, treeDigest, useWorkspace } from './cli-harness.js';

const GUESTBOOK = ['--group', 'webapp', '--kind', 'Guestbook'];
const POLICY = ['--group', 'batch', '--version', 'v1', '--kind', 'Policy'];

/** Two kinds with controllers, a second version, admission webhooks on both kinds and v1↔v2 conversion. */
const PROJECT_WITH_WEBHOOKS = [
  INIT_ARGS,
  ['create', 'api', '--yes', ...GUESTBOOK, '--version', 'v1'],
  ['create', 'api', '--yes', ...GUESTBOOK, '--version', 'v2'],
  ['create', 'api', '--yes', ...POLICY],
  ['create', 'webhook', '--yes', ...GUESTBOOK, '--version', 'v1', '--defaulting', '--programmatic-validation'],
  ['create', 'webhook', '--yes', ...GUESTBOOK, '--version', 'v1', '--conversion', '--spoke', 'v2'],
  ['create', 'webhook', '--yes', ...POLICY, '--programmatic-validation'],
];

/** The files `init --force` rewrites from templates and must wire every resource into again. */
const REGISTRATIONS = ['src/main.ts', 'config/default/kustomization.yaml', 'package.json'];

describe('init --force re-registers everything PROJECT records', () => {
  const ws = useWorkspace('reinit');
  beforeEach(async () => {
    for (const args of PROJECT_WITH_WEBHOOKS) {
      const run = await runCli(ws.project, args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
    }
  });

  it('changes nothing in a project with controllers, webhooks and conversion', async () => {
    const before = await treeDigest(ws.project);
    const again = await runCli(ws.project, [...INIT_ARGS, '--force']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/^(CREATE|UPDATE) /m);
    expect(again.stdout).not.toContain('note:');
    expect(await treeDigest(ws.project)).toBe(before);
  });

  it('writes the registrations of controllers and webhooks back into files rewritten from templates', async () => {
    const before = await readTree(ws.project);
    const main = before['src/main.ts'];
    for (const setup of [
      'setupGuestbookController',
      'setupPolicyController',
      'setupGuestbookV1Webhook',
      'setupGuestbookConversion',
      'setupPolicyV1Webhook',
    ]) {
      expect(main).toContain(`${setup}(mgr);`);
    }
    for (const path of REGISTRATIONS) await rm(join(ws.project, path));
    const again = await runCli(ws.project, [...INIT_ARGS, '--force']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain('note:');
    for (const path of REGISTRATIONS) {
      expect(again.stdout).toMatch(new RegExp(`^CREATE ${path.replaceAll('.', '\\.')}$`, 'm'));
    }
    expect(await readTree(ws.project)).toEqual(before);
  });

  it('says what to add by hand where a file it registers in is gone', async () => {
    await rm(join(ws.project, 'config/webhook/kustomization.yaml'));
    const again = await runCli(ws.project, [...INIT_ARGS, '--force']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(
      'note: config/webhook/kustomization.yaml is missing; add yourself:\n    - manifests.yaml',
    );
  });
});
