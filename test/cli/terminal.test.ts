import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useWorkspace } from './cli-harness.js';

const CLI = fileURLToPath(new URL('../../bin/kubeforge.js', import.meta.url));
const hasScript = spawnSync('script', ['--version']).status === 0;

/**
 * Runs the built CLI on a real pseudo-terminal (util-linux `script`), answering each question when
 * its text appears; resolves with the exit code and the screen output.
 */
function onTerminal(cwd: string, args: string[], dialogue: [question: string, answer: string][]) {
  return new Promise<{ code: number | null; screen: string }>((resolve, reject) => {
    const child = spawn('script', ['-qec', ['node', CLI, ...args].join(' '), '/dev/null'], { cwd });
    const pending = [...dialogue];
    let screen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      screen += stripVTControlCharacters(chunk.toString());
      const next = pending[0];
      if (next && screen.includes(next[0])) {
        pending.shift();
        child.stdin.write(`${next[1]}\r`);
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, screen }));
  });
}

describe.skipIf(!hasScript || !existsSync(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))))(
  'prompts on a real terminal (@inquirer/prompts through a pseudo-terminal)',
  () => {
    const ws = useWorkspace('terminal', { name: 'shop' });

    it('init and create api ask for what is missing and use the answers', async () => {
      const init = await onTerminal(
        ws.project,
        ['init', '--kubeforge-version', '^0.1.0'],
        [['Domain of your API groups', 'example.org']],
      );
      expect(init.code, init.screen).toBe(0);
      const api = await onTerminal(
        ws.project,
        ['create', 'api'],
        [
          ['API group', 'orders'],
          ['API version', ''],
          ['Kind (PascalCase)', 'Order'],
        ],
      );
      expect(api.code, api.screen).toBe(0);
      expect(api.screen).toContain('CREATE api/v1/order.types.ts');
      const project = await readFile(join(ws.project, 'PROJECT'), 'utf8');
      expect(project).toContain('domain: example.org');
      expect(project).toMatch(/group: orders\n\s+version: v1\n\s+kind: Order/);
    });
  },
);
