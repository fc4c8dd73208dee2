import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { allCommands, commandPath, HELP_EXAMPLES } from './help-examples.js';
import type { CliIO } from './io.js';
import { buildProgram } from './main.js';

const quietIO: CliIO = {
  cwd: process.cwd(),
  print: () => undefined,
  printError: () => undefined,
  interactive: false,
  prompts: { input: () => Promise.reject(new Error('no prompts in this test')) },
  now: () => new Date(0),
};

/** The words of the `kubeforge …` invocation in an example line (inside `$(…)`, `<(…)`, before a redirection). */
function invocationWords(example: string): string[] {
  const invocation = example.match(/kubeforge\b([^)>|]*)/)![1];
  return [...invocation.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

describe('help examples', () => {
  it('every registered command has at least one example, and every example names a command', () => {
    const program = buildProgram(quietIO);
    const paths = [program, ...allCommands(program)].map(commandPath);
    expect(paths.filter((path) => !HELP_EXAMPLES[path]?.length)).toEqual([]);
    expect(Object.keys(HELP_EXAMPLES).filter((path) => !paths.includes(path))).toEqual([]);
  });

  it("each example parses with commander and reaches its command's action", async () => {
    for (const [path, examples] of Object.entries(HELP_EXAMPLES)) {
      for (const example of examples) {
        const program = buildProgram(quietIO);
        let reached: string | undefined;
        for (const command of allCommands(program))
          command.action((...args: unknown[]) => {
            reached = commandPath(args.at(-1) as Command);
          });
        const words = invocationWords(example);
        // A command with subcommands (`create`, `envtest`) is shown with one of them.
        await program.parseAsync(['node', 'kubeforge', ...words]);
        expect(reached, example).toBeDefined();
        expect(
          path === '' || reached === path || reached!.startsWith(`${path} `),
          `${example} reached ${reached}`,
        ).toBe(true);
      }
    }
  });

  it('--help of a command ends with its examples', async () => {
    const printed: string[] = [];
    const program = buildProgram({ ...quietIO, print: (text) => printed.push(text) });
    await expect(program.parseAsync(['node', 'kubeforge', 'tree', '--help'])).rejects.toMatchObject({
      code: 'commander.helpDisplayed',
    });
    expect(printed.join('\n')).toMatch(/Examples:\n {2}\$ kubeforge tree microservice\/shop -n default\n/);
  });
});
