/**
 * `npm run demo [-- --keep] [-- --use-existing-cluster]`: runs the demo of this checkout (see
 * `run-demo.ts`). A bad flag or a failed step prints one `Error: …` line (and a hint) and exits
 * non-zero; the demo itself always cleans up after itself.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UserError } from 'kubeforge';
import { runDemo } from './run-demo.js';

const USAGE = `usage: npm run demo [-- --keep] [-- --use-existing-cluster]
  --keep                  leave the control plane and the operator running (until Ctrl-C) and print the KUBECONFIG
  --use-existing-cluster  run against the cluster of $KUBECONFIG instead of a local control plane`;

/** The checkout this script belongs to (the nearest folder up with package.json and examples/). */
function checkoutRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!(existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'examples')))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('the demo runs from a kubeforge checkout (no examples/ found above it)');
    dir = parent;
  }
  return dir;
}

async function main(argv: string[]): Promise<number> {
  let flags: { keep: boolean; 'use-existing-cluster': boolean; help: boolean };
  try {
    flags = parseArgs({
      args: argv,
      options: {
        keep: { type: 'boolean', default: false },
        'use-existing-cluster': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values as typeof flags;
  } catch (error) {
    console.error(`Error: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    await runDemo({
      root: checkoutRoot(),
      keep: flags.keep,
      useExistingCluster: flags['use-existing-cluster'],
      print: (text) => console.log(text),
    });
    return 0;
  } catch (error) {
    const lines = [`Error: ${(error as Error).message}`];
    if (error instanceof UserError && error.hint) lines.push(`  hint: ${error.hint}`);
    console.error(lines.join('\n'));
    return error instanceof UserError ? error.exitCode : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
