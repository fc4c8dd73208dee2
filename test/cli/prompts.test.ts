import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INIT_ARGS, runCli, useWorkspace } from './cli-harness.js';

describe('interactive prompts (injected terminal)', () => {
  const ws = useWorkspace('prompts', { name: 'shop' });

  it('init asks for a missing domain on a terminal', async () => {
    const run = await runCli(ws.project, ['init', '--kubeforge-version', '^0.1.0'], { answers: ['shop.example.org'] });
    expect(run.code, run.stderr).toBe(0);
    expect(run.asked.map((question) => question.message)).toEqual([
      'Domain of your API groups (a group "webapp" becomes webapp.<domain>):',
    ]);
    expect(await readFile(join(ws.project, 'PROJECT'), 'utf8')).toContain('domain: shop.example.org');
  });

  it('create api asks for group, version and kind, and validates each answer with the flag rules', async () => {
    await runCli(ws.project, INIT_ARGS);
    const run = await runCli(ws.project, ['create', 'api'], { answers: ['orders', 'v1beta1', 'Order'] });
    expect(run.code, run.stderr).toBe(0);
    expect(run.asked.map((question) => question.message)).toEqual([
      'API group (becomes <group>.example.com):',
      'API version:',
      'Kind (PascalCase):',
    ]);
    expect(run.asked[1].default).toBe('v1');
    expect(run.asked[0].validate?.('Orders')).toMatch(/DNS-1123 subdomain/);
    expect(run.asked[2].validate?.('order')).toMatch(/PascalCase/);
    expect(run.stdout).toMatch(/^CREATE api\/v1beta1\/order\.types\.ts$/m);
  });

  it('asks only for what the flags leave out', async () => {
    await runCli(ws.project, INIT_ARGS);
    const run = await runCli(ws.project, ['create', 'api', '--group', 'orders', '--version', 'v1'], {
      answers: ['Order'],
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.asked.map((question) => question.message)).toEqual(['Kind (PascalCase):']);
  });

  it('never asks with --yes, even on a terminal', async () => {
    const run = await runCli(ws.project, ['init', '--yes'], { answers: ['unused.example.com'] });
    expect(run.code).not.toBe(0);
    expect(run.asked).toEqual([]);
    expect(run.stderr).toContain('--domain is required');
  });
});
