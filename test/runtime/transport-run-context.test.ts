/**
 * `kubeforge run --context X` starts the operator on context X (the CRDs already went there): with
 * a two-context kubeconfig whose current-context points nowhere, the operator — a bundled program
 * reading its flags with managerOptionsFromArgs and connecting through newManager, as a generated
 * main.ts does — reaches the envtest apiserver only because run passed the context on.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../cli/cli-harness.js';
import { testKubeconfigPath } from '../support/cluster.js';
import { bundle } from './harness.js';

const runtime = resolve('src/runtime/index.ts');

describe('kubeforge run --context', () => {
  it('starts the operator on the context it installed the CRDs with', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeforge-run-context-'));
    const project = join(dir, 'project');
    const kubeconfig = twoContextKubeconfig(dir);
    const result = join(dir, 'reached');
    const entry = join(dir, 'operator.ts');
    writeFileSync(
      entry,
      `import { writeFileSync } from 'node:fs';
import { managerOptionsFromArgs, Namespace, newManager } from ${JSON.stringify(runtime)};
const options = managerOptionsFromArgs(process.argv.slice(2));
const mgr = await newManager({ ...options, metricsBindAddress: '0', healthProbeBindAddress: '0', logLevel: 'silent' });
const ns = await mgr.apiReader.get(Namespace, { name: 'default' });
writeFileSync(${JSON.stringify(result)}, \`\${options.context} \${ns?.metadata?.name}\`);
mgr.apiReader.close();
`,
    );
    const operator = await bundle(entry);
    mkdirSync(project);
    writeFileSync(
      join(project, 'PROJECT'),
      'layout: kubeforge.io/v1\ndomain: example.com\nprojectName: ctx\nresources: []\n',
    );

    const withContext = await runCli(project, [
      'run',
      '--kubeconfig',
      kubeconfig,
      '--context',
      'envtest',
      '--no-build',
      '--',
      process.execPath,
      operator,
    ]);
    expect(withContext.stderr).toBe('');
    expect(withContext.code).toBe(0);
    expect(readFileSync(result, 'utf8')).toBe('envtest default');

    rmSync(result);
    const withoutContext = await runCli(project, [
      'run',
      '--kubeconfig',
      kubeconfig,
      '--no-build',
      '--',
      process.execPath,
      operator,
    ]);
    expect(withoutContext.stderr).toMatch(/the operator exited with code 1/);
    expect(existsSync(result)).toBe(false);
  }, 120_000);
});

/** The envtest kubeconfig plus a current-context "elsewhere" whose server refuses connections. */
function twoContextKubeconfig(dir: string): string {
  const config = parse(readFileSync(testKubeconfigPath(), 'utf8')) as {
    clusters: { name: string; cluster: Record<string, unknown> }[];
    contexts: { name: string; context: { cluster: string; user: string } }[];
    'current-context': string;
  };
  const current = config.contexts.find((context) => context.name === config['current-context'])!;
  config.clusters.push({ name: 'nowhere', cluster: { server: 'https://127.0.0.1:1' } });
  config.contexts = [
    { name: 'envtest', context: current.context },
    { name: 'elsewhere', context: { cluster: 'nowhere', user: current.context.user } },
  ];
  config['current-context'] = 'elsewhere';
  const file = join(dir, 'kubeconfig');
  writeFileSync(file, stringify(config));
  return file;
}
