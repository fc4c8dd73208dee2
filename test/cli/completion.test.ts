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
import { runCli } from './cli-harness.js';

const execFileAsync = promisify(execFile);
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

describe('kubeforge completion zsh and fish', () => {
  it('are generated from the same commands', async () => {
    const zsh = await runCli(process.cwd(), ['completion', 'zsh']);
    expect(zsh.stdout).toMatch(/^#compdef kubeforge\n/);
    expect(zsh.stdout).toContain('"create api") subs=();');
    expect(zsh.stdout).toContain('compdef _kubeforge kubeforge');
    const fish = await runCli(process.cwd(), ['completion', 'fish']);
    expect(fish.stdout).toContain("complete -c kubeforge -f -n '__kubeforge_at \\'create\\'' -a 'api webhook'");
    expect(fish.stdout).toContain("-l kubeconfig -r -F -d 'kubeconfig of the cluster");
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
