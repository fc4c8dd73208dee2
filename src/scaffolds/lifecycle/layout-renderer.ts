/**
 * Renders with the templates of another kubeforge version (the layout a project was scaffolded
 * with), through this version's scaffold code. A template that version did not have renders as
 * absent: the file it would write is left out of that scaffold, so `upgrade` creates it.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { outputPathOf, TEMPLATES_DIR, templateRenderer, type TemplateRenderer } from '../../machinery/index.js';

const ABSENT = '\u0000kubeforge: no such template in this layout\u0000';

export function layoutRenderer(templatesDir: string): TemplateRenderer {
  const inner = templateRenderer(templatesDir);
  return {
    render: (name, context) =>
      existsSync(join(templatesDir, `${name}.hbs`)) ? inner.render(name, context) : Promise.resolve(ABSENT),
  };
}

/** The scaffold without the files of templates the layout did not have. */
export function withoutAbsentFiles(files: Map<string, string>): Map<string, string> {
  return new Map([...files].filter(([, text]) => !text.includes(ABSENT)));
}

/**
 * The files `init` of the old layout wrote from templates this version no longer has (project-wide
 * templates without placeholders): this version's code never renders them, so they are found
 * here — `upgrade` reports them as no longer written.
 */
export async function droppedInitFiles(oldTemplatesDir: string, templatesDir = TEMPLATES_DIR): Promise<string[]> {
  const entries = await readdir(join(oldTemplatesDir, 'init'), { recursive: true });
  return entries
    .map((entry) => `init/${entry.replaceAll('\\', '/')}`)
    .filter((name) => name.endsWith('.hbs') && !name.includes('{'))
    .map((name) => name.slice(0, -'.hbs'.length))
    .filter((name) => !existsSync(join(templatesDir, `${name}.hbs`)))
    .map((name) => outputPathOf(name, {}))
    .sort();
}
