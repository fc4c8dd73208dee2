/**
 * Handlebars templates loaded from `templates/` (real files mirroring the paths they produce,
 * with a `.hbs` suffix, so editors highlight them). Strict mode: a template that names a field the
 * context lacks fails loudly instead of writing an empty string. No HTML escaping: the output is
 * code and YAML. Handlebars is imported only when the first template renders.
 */
import type Handlebars from 'handlebars';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `templates/` at the package root, from both `src/machinery` (tests) and `dist/machinery`. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export interface TemplateRenderer {
  /** Renders `templates/<name>.hbs` with the context. */
  render(name: string, context: object): Promise<string>;
}

/**
 * The output path of a template: its name without the command folder (`init/`, `api/`), with
 * `{field}` placeholders filled from the context and a leading `_` on the file name turned into a
 * dot (`_gitignore` → `.gitignore`; npm would drop a real `.gitignore` from the package).
 */
export function outputPathOf(templateName: string, context: Record<string, unknown>): string {
  const withoutCommand = templateName.slice(templateName.indexOf('/') + 1);
  const filled = withoutCommand.replace(/\{(\w+)\}/g, (_match, field: string) => {
    const value = context[field];
    if (typeof value !== 'string' || value.length === 0) {
      throw new Error(`template path ${templateName} needs a non-empty string "${field}" in its context`);
    }
    return value;
  });
  return filled.replace(/(^|\/)_([^/]+)$/, '$1.$2');
}

export function templateRenderer(dir: string = TEMPLATES_DIR): TemplateRenderer {
  const compiled = new Map<string, (context: object) => string>();
  let handlebars: typeof Handlebars | undefined;
  return {
    async render(name, context) {
      let template = compiled.get(name);
      if (!template) {
        handlebars ??= (await import('handlebars')).default;
        const path = join(dir, `${name}.hbs`);
        const source = await readFile(path, 'utf8');
        template = handlebars.compile(source, { strict: true, noEscape: true });
        compiled.set(name, template);
      }
      try {
        return template(context);
      } catch (error) {
        throw new Error(`template ${name}.hbs failed to render`, { cause: error });
      }
    },
  };
}
