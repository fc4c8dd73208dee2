/**
 * `kubeforge completion`: the scripts are generated from the commands main.ts registers, and the
 * bash one really completes in bash — parsed by `bash -n`, registered by `complete`, and asked
 * for completions the way readline does (COMP_WORDS/COMP_CWORD, then the registered function).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { runCli } from './cli-harness.js';

const execFileAsync = promisify(execFile);
/** The commands main.ts registers, in order. */
const ROOT_COMMANDS = buildProgram().commands.map((command) => command.name());
let bashScript: string;
let scriptFile: string;

beforeAll(async () => {
  const run = await runCli(process.cwd(), ['completion', 'bash']);
  expect(run.code, run.stderr).toBe(0);
  bashScript = run.stdout;
  scriptFile = join(mkdtempSync(join(tmpdir(), 'kubeforge-completion-')), 'kubeforge.bash');
  writeFileSync(scriptFile, `${bashScript}\n`);
});

async function bash(script: string): Promise<string> {
  const { stdout } = await execFileAsync('bash', ['--norc', '--noprofile', '-c', script], { cwd: tmpdir() });
  return stdout;
}

/** What bash offers for the command line `line` (the cursor at its end), one candidate per line. */
async function complete(line: string): Promise<string[]> {
  const words = line.split(' ');
  const array = words.map((word) => `'${word}'`).join(' ');
  const out = await bash(
    `source '${scriptFile}'
     fn=$(complete -p kubeforge | sed -E 's/.*-F ([^ ]+) .*/\\1/')
     COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}
     "$fn" kubeforge "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
     printf '%s\\n' "\${COMPREPLY[@]}"`,
  );
  return out.split('\n').filter(Boolean);
}

describe('kubeforge completion bash', () => {
  it('is valid bash and registers a completion for kubeforge when sourced', async () => {
    await bash(`bash -n '${scriptFile}'`);
    expect(await bash(`source '${scriptFile}'; complete -p kubeforge`)).toMatch(
      /^complete .*-F _kubeforge kubeforge$/m,
    );
  });

  it('completes commands, subcommands, flags and argument choices from the registered commands', async () => {
    expect(await complete('kubeforge cr')).toEqual(['create']);
    expect(await complete('kubeforge create ')).toEqual(['api', 'webhook']);
    expect(await complete('kubeforge --debug create w')).toEqual(['webhook']);
    expect(await complete('kubeforge create api --kind')).toEqual(['--kind']);
    expect(await complete('kubeforge tree --kube')).toEqual(['--kubeconfig']);
    expect(await complete('kubeforge completion ')).toEqual(['bash', 'zsh', 'fish']);
    expect(await complete('kubeforge envtest s')).toEqual(['setup', 'start']);
    expect(await complete('kubeforge d')).toEqual(['doctor']);
  });

  it("completes a flag's value with file names, not subcommands", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeforge-files-'));
    writeFileSync(join(dir, 'envtest.kubeconfig'), '');
    expect(await complete(`kubeforge tree --kubeconfig ${dir}/env`)).toEqual([`${dir}/envtest.kubeconfig`]);
    expect(await complete(`kubeforge --debug envtest start --kubeconfig ${dir}/x s`)).toEqual([]);
  });
});

async function scriptFor(shell: 'zsh' | 'fish'): Promise<string> {
  const run = await runCli(process.cwd(), ['completion', shell]);
  expect(run.code, run.stderr).toBe(0);
  const file = join(mkdtempSync(join(tmpdir(), 'kubeforge-completion-')), `kubeforge.${shell}`);
  writeFileSync(file, `${run.stdout}\n`);
  return file;
}

describe('kubeforge completion zsh and fish', () => {
  it('zsh: parses, registers with compdef, and offers what follows the typed words', async () => {
    const file = await scriptFor('zsh');
    await execFileAsync('zsh', ['-n', file]);
    // Outside a completion widget, compadd and _files are stand-ins that print what they were given.
    const zsh = async (words: string[]) => {
      const { stdout } = await execFileAsync('zsh', [
        '-fc',
        `autoload -U compinit; compinit -u; source '${file}'; print "registered: \${_comps[kubeforge]}"
         compadd() { shift; print -l -- "$@"; }; _files() { print FILES; }
         words=(${words.map((word) => `'${word}'`).join(' ')}); CURRENT=${words.length}; _kubeforge`,
      ]);
      return stdout.split('\n').filter(Boolean);
    };
    expect(await zsh(['kubeforge', 'cr'])).toEqual(['registered: _kubeforge', ...ROOT_COMMANDS]);
    expect((await zsh(['kubeforge', '--debug', 'create', ''])).slice(1)).toEqual(['api', 'webhook']);
    expect(await zsh(['kubeforge', 'tree', '--kube'])).toContain('--kubeconfig');
    expect((await zsh(['kubeforge', 'tree', '--kubeconfig', ''])).slice(1)).toEqual(['FILES']);
  });

  it('fish: parses and completes with `complete -C`', async () => {
    const file = await scriptFor('fish');
    await execFileAsync('fish', ['-n', file]);
    const fish = async (line: string) => {
      const { stdout } = await execFileAsync('fish', ['-c', `source '${file}'; complete -C '${line}'`]);
      return stdout.split('\n').filter(Boolean);
    };
    expect(await fish('kubeforge cr')).toEqual(['create']);
    expect(await fish('kubeforge --debug create ')).toEqual(['api', 'webhook']);
    expect(await fish('kubeforge tree --kube')).toEqual([
      '--kubeconfig\tkubeconfig of the cluster (default: $KUBECONFIG, then ~/.kube/config)',
    ]);
    expect((await fish('kubeforge completion ')).sort()).toEqual(['bash', 'fish', 'zsh']);
  });

  it('refuses an unknown shell naming the choices', async () => {
    const run = await runCli(process.cwd(), ['completion', 'powershell']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "command-argument value 'powershell' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.",
    );
    expect(run.stdout).toBe('');
  });
});
