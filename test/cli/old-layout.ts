/**
 * The templates of the synthetic older kubeforge the upgrade tests start from: today's templates
 * with fixtures/upgrade/old-layout laid over them, less the templates fixtures/upgrade/absent.txt
 * lists (see fixtures/upgrade/README.md).
 */
import { cp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEMPLATES_DIR } from '../../src/machinery/index.js';

const OLD_LAYOUT = fileURLToPath(new URL('../../fixtures/upgrade/', import.meta.url));

/** The kubeforge version the old layout stands for. */
export const OLD_VERSION = '0.0.9';

/** Writes the old layout's templates folder to `dir` and returns it. */
export async function oldLayoutTemplates(dir: string): Promise<string> {
  await cp(TEMPLATES_DIR, dir, { recursive: true });
  await cp(join(OLD_LAYOUT, 'old-layout'), dir, { recursive: true });
  for (const name of (await readFile(join(OLD_LAYOUT, 'absent.txt'), 'utf8')).split('\n').filter(Boolean)) {
    await rm(join(dir, `${name}.hbs`));
  }
  return dir;
}
