import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputPathOf, templateRenderer } from './templates.js';

describe('templates', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubeforge-templates-'));
    await writeFile(join(dir, 'hello.ts.hbs'), "export const greeting = '{{name}} <{{email}}>';\n");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('renders without HTML escaping', async () => {
    const renderer = templateRenderer(dir);
    expect(await renderer.render('hello.ts', { name: 'A & B', email: 'a@example.com' })).toBe(
      "export const greeting = 'A & B <a@example.com>';\n",
    );
  });

  it('fails loudly when the context lacks a field the template uses', async () => {
    const renderer = templateRenderer(dir);
    await expect(renderer.render('hello.ts', { name: 'A' })).rejects.toThrow(/hello\.ts\.hbs failed to render/);
  });

  it('names the missing template file', async () => {
    await expect(templateRenderer(dir).render('absent.yaml', {})).rejects.toThrow(/absent\.yaml\.hbs/);
  });

  it('derives output paths from template names', () => {
    const context = { version: 'v1', fileBase: 'guestbook', group: 'webapp' };
    expect(outputPathOf('api/api/{version}/{fileBase}.types.ts', context)).toBe('api/v1/guestbook.types.ts');
    expect(outputPathOf('api/config/samples/{group}_{version}_{fileBase}.yaml', context)).toBe(
      'config/samples/webapp_v1_guestbook.yaml',
    );
    expect(outputPathOf('init/_gitignore', context)).toBe('.gitignore');
    expect(outputPathOf('init/config/rbac/role.yaml', context)).toBe('config/rbac/role.yaml');
    expect(() => outputPathOf('api/{kind}.ts', context)).toThrow(/needs a non-empty string "kind"/);
  });
});
