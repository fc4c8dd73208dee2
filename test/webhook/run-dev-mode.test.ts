import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  CustomResourceDefinition,
  defineKind,
  MutatingWebhookConfiguration,
  newClient,
  ValidatingWebhookConfiguration,
  type DirectClient,
  type KubeObject,
} from '../../src/runtime/index.js';
import { INIT_ARGS, runCli, useWorkspace } from '../cli/cli-harness.js';
import { until } from '../runtime/harness.js';
import { createTestNamespace, testKubeconfigPath, testRestConfig } from '../support/cluster.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const GROUP = ['--group', 'devrun', '--kind', 'Guestbook'];
const CRD = 'guestbooks.devrun.example.com';

interface Guestbook extends KubeObject {
  spec?: { foo?: string };
}
const base = { group: 'devrun.example.com', kind: 'Guestbook', plural: 'guestbooks', namespaced: true };
const GuestbookV1 = defineKind<Guestbook>({ ...base, version: 'v1' });
const GuestbookV2 = defineKind<Guestbook>({ ...base, version: 'v2' });

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** node_modules for the generated project: this checkout as `kubeforge`, and its own dependencies. */
async function linkDependencies(project: string): Promise<void> {
  const modules = join(project, 'node_modules');
  await mkdir(modules);
  for (const entry of await readdir(join(REPO, 'node_modules'))) {
    await symlink(join(REPO, 'node_modules', entry), join(modules, entry));
  }
  await symlink(REPO, join(modules, 'kubeforge'));
}

// The generated project's own path: `kubeforge run --webhooks` builds it, applies its CRDs, starts
// it, and the apiserver calls its scaffolded webhooks on 127.0.0.1 until Ctrl-C removes them.
describe('kubeforge run --webhooks (dev mode)', () => {
  const ws = useWorkspace('devrun', { once: true, name: 'devrun' });
  let client: DirectClient;
  let cli: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;
  let namespace: string;

  beforeAll(async () => {
    if (!existsSync(join(REPO, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
    for (const args of [
      INIT_ARGS,
      ['create', 'api', '--yes', ...GROUP, '--version', 'v1'],
      ['create', 'api', '--yes', ...GROUP, '--version', 'v2'],
      [
        'create',
        'webhook',
        '--yes',
        ...GROUP,
        '--version',
        'v1',
        '--defaulting',
        '--programmatic-validation',
        '--conversion',
        '--spoke',
        'v2',
      ],
    ]) {
      const run = await runCli(ws.project, args);
      expect(run.code, run.stderr).toBe(0);
    }
    const types = join(ws.project, 'api/v1/guestbook.types.ts');
    await writeFile(
      types,
      (await readFile(types, 'utf8')).replace(
        '// +kubebuilder:object:root=true',
        '// +kubebuilder:object:root=true\n// +kubebuilder:storageversion',
      ),
    );
    await linkDependencies(ws.project);
    client = newClient(testRestConfig());
    namespace = await createTestNamespace('webhook-devrun');

    const port = await freePort();
    cli = spawn(
      process.execPath,
      [
        join(REPO, 'bin/kubeforge.js'),
        'run',
        '--webhooks',
        '--webhook-port',
        String(port),
        '--kubeconfig',
        testKubeconfigPath(),
        '--',
        process.execPath,
        'dist/src/main.js',
        '--metrics-bind-address=0',
        '--health-probe-bind-address=0',
      ],
      {
        cwd: ws.project,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, KUBEFORGE_LOG_LEVEL: 'warn' },
        detached: true,
      },
    );
    cli.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    cli.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => cli.on('exit', (code) => resolve(code)));
    await until(
      'the webhooks to be registered',
      () => {
        if (cli.exitCode !== null) throw new Error(`kubeforge run exited early:\n${output}`);
        return output.includes('webhooks served at');
      },
      120_000,
    );
  }, 300_000);

  afterAll(() => {
    if (cli?.exitCode === null) cli.kill('SIGKILL');
  });

  it('has the apiserver call the scaffolded defaulter, validator and converter on 127.0.0.1', async () => {
    expect(output).toContain(`applied CRDs: ${CRD}`);
    expect(output).toMatch(
      /webhooks served at https:\/\/127\.0\.0\.1:\d+ for the apiserver: devrun-dev-mutating-webhook-configuration, devrun-dev-validating-webhook-configuration, guestbooks\.devrun\.example\.com conversion/,
    );
    await until('the defaulting webhook to answer', async () => {
      const probe = await client.create(GuestbookV1, { metadata: { name: 'probe', namespace } }, { dryRun: true });
      return probe.spec?.foo === 'default';
    });
    const created = await client.create(GuestbookV1, { metadata: { name: 'defaulted', namespace } });
    expect(created.spec).toEqual({ foo: 'default' });

    const denied = await client
      .create(GuestbookV1, { metadata: { name: 'empty', namespace }, spec: { foo: '' } })
      .catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(ApiError);
    expect((denied as ApiError).message).toContain('Guestbook "empty" is invalid: spec.foo: must not be empty');

    const crd = await client.get(CustomResourceDefinition, { name: CRD });
    expect(crd?.spec.conversion?.strategy).toBe('Webhook');
    expect(crd?.spec.conversion?.webhook?.clientConfig?.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/convert$/);
    const asV2 = await client.get(GuestbookV2, { namespace, name: 'defaulted' });
    expect(asV2).toMatchObject({ apiVersion: 'devrun.example.com/v2', spec: { foo: 'default' } });
  });

  it('rejects a bad --webhook-port naming the flag, before touching the cluster', async () => {
    const run = await runCli(ws.project, ['run', '--webhooks', '--webhook-port', '70000', '--no-build']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('--webhook-port "70000" is not a port number (1-65535)');
  });

  it('scaffolds kustomize config that builds into a cert-manager deployment of the webhooks', async () => {
    expect((await runCli(ws.project, ['manifests'])).code).toBe(0);
    const { stdout } = await promisify(execFile)('kubectl', ['kustomize', join(ws.project, 'config/default')]);
    expect(stdout).toContain('name: devrun-webhook-service');
    expect(stdout).toContain('cert-manager.io/inject-ca-from: devrun-system/devrun-serving-cert');
    expect(stdout).toMatch(/path: \/mutate-devrun-example-com-v1-guestbook/);
    expect(stdout).toMatch(/containerPort: 9443/);
    expect(stdout).toMatch(/secretName: webhook-server-cert/);
  });

  it('passes the scaffolded webhook unit and envtest tests in the generated project', async () => {
    const vitest = join(ws.project, 'node_modules/.bin/vitest');
    const { stdout } = await promisify(execFile)(vitest, ['run', '--project', 'unit', 'src/webhooks'], {
      cwd: ws.project,
      env: { ...process.env, CI: '1', NO_COLOR: '1' },
    });
    // 4 handler unit tests, and 2 in which the apiserver calls the served webhooks.
    expect(stdout).toMatch(/guestbook\.webhook\.envtest\.test\.ts \(2 tests\)/);
    expect(stdout).toMatch(/Tests\s+6 passed/);
  });

  it('removes the webhook configurations and CRD conversion on Ctrl-C', async () => {
    process.kill(-cli.pid!, 'SIGINT'); // as a terminal does: to the whole process group

    expect(await exited).toBe(0);
    expect(output).toContain('webhook configurations removed and CRD conversion switched off');
    expect(
      await client.get(MutatingWebhookConfiguration, { name: 'devrun-dev-mutating-webhook-configuration' }),
    ).toBeUndefined();
    expect(
      await client.get(ValidatingWebhookConfiguration, { name: 'devrun-dev-validating-webhook-configuration' }),
    ).toBeUndefined();
    expect((await client.get(CustomResourceDefinition, { name: CRD }))?.spec.conversion?.strategy).toBe('None');
  });
});
