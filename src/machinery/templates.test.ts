import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateRenderer } from './templates.js';

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
});
