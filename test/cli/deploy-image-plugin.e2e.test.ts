/**
 * `create api --plugins deploy-image`, end to end: the project it scaffolds installs, builds,
 * lints and passes its own envtest test; its operator, run as a process against the shared control
 * plane, gives the sample a Deployment and a Service with the restricted security context and the
 * Memcached as controlling owner. And its bad flags: refused naming the flag, nothing written.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCRDs } from '../../src/envtest/index.js';
import { Deployment, newClient, Service, type DirectClient } from '../../src/runtime/index.js';
import { until } from '../runtime/harness.js';
import { createTestNamespace, kubectl, testKubeconfigPath, testRestConfig } from '../support/cluster.js';
import { INIT_ARGS, runCli, scaffoldInstalledProject, sh, treeDigest, useWorkspace } from './cli-harness.js';

const TEN_MINUTES = 600_000;
const MEMCACHED = ['--group', 'example', '--version', 'v1alpha1', '--kind', 'Memcached'];
const COMMAND = ['memcached', '--memory-limit=64', '-o', 'modern', '-v'];
const PLUGIN = ['--plugins', 'deploy-image', '--image', 'memcached:1.6', '--image-container-port', '11211'];

describe('deploy-image project', () => {
  const ws = useWorkspace('deploy-image', { once: true });
  beforeAll(async () => {
    await scaffoldInstalledProject(ws.project, [
      [
        'create',
        'api',
        ...MEMCACHED,
        ...PLUGIN,
        '--run-as-user',
        '1001',
        '--image-container-command',
        COMMAND.join(','),
        '--make=false',
      ],
      // The other shape: no port (no containerPort, no Service), no runAsUser.
      [
        'create',
        'api',
        '--group',
        'example',
        '--version',
        'v1alpha1',
        '--kind',
        'Cache',
        '--plugins',
        'deploy-image',
        '--image',
        'redis:7',
        '--make=false',
      ],
    ]);
  }, TEN_MINUTES);

  it('records the plugin and its settings in PROJECT and the image in the manager environment', async () => {
    const project = await readFile(join(ws.project, 'PROJECT'), 'utf8');
    expect(project).toContain(
      [
        'plugins:',
        '  deploy-image.kubeforge.io/v1-alpha:',
        '    resources:',
        '      - group: example',
        '        version: v1alpha1',
        '        kind: Memcached',
        '        image: memcached:1.6',
        '        containerPort: 11211',
        '        runAsUser: 1001',
        '        containerCommand:',
        ...COMMAND.map((part) => `          - ${part}`),
      ].join('\n'),
    );
    const manager = await readFile(join(ws.project, 'config/manager/manager.yaml'), 'utf8');
    expect(manager).toContain('        env:\n        - name: MEMCACHED_IMAGE\n          value: memcached:1.6\n');
  });

  it('builds and lints clean', { timeout: TEN_MINUTES }, async () => {
    await sh(ws.project, 'npm', ['run', 'build']);
    await sh(ws.project, 'npm', ['run', 'typecheck']);
    await sh(ws.project, 'npm', ['run', 'lint']);
  });

  it(
    'passes its own controller tests (both kinds) against a real control plane',
    { timeout: TEN_MINUTES },
    async () => {
      const output = await sh(ws.project, 'npm', ['test']);
      expect(output).toMatch(/CREATE config\/crd\/bases\/example\.example\.com_memcacheds\.yaml/);
      expect(output).toMatch(/Tests\s+8 passed/);
    },
  );

  it(
    'passes its own operator test (test:e2e): the sample gets status conditions',
    { timeout: TEN_MINUTES },
    async () => {
      const output = await sh(ws.project, 'npm', ['run', 'test:e2e']);
      // ready, reconciles every sample, stops on SIGTERM (the webhook test skips: no webhooks)
      expect(output).toMatch(/Tests\s+3 passed \| 1 skipped/);
    },
  );

  describe('its operator on the shared control plane', () => {
    let operator: ChildProcess | undefined;
    let exited: Promise<unknown> | undefined;
    let output = '';
    let client: DirectClient;
    let deploymentKey = { namespace: '', name: '' };
    afterAll(async () => {
      operator?.kill('SIGTERM');
      await exited;
      client?.close();
    });

    it('gives the sample a restricted Deployment and a Service owned by it', { timeout: TEN_MINUTES }, async () => {
      await sh(ws.project, 'npm', ['run', 'manifests']);
      await sh(ws.project, 'npm', ['run', 'build']);
      await installCRDs(testRestConfig(), [join(ws.project, 'config/crd/bases')]);
      client = newClient(testRestConfig());
      const namespace = await createTestNamespace('memcached');
      operator = spawn(
        process.execPath,
        [
          'dist/src/main.js',
          '--kubeconfig',
          testKubeconfigPath(),
          `--namespace=${namespace}`,
          '--metrics-bind-address=0',
          '--health-probe-bind-address=0',
        ],
        {
          cwd: ws.project,
          env: { ...process.env, MEMCACHED_IMAGE: 'memcached:1.6-alpine' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      operator.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      operator.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      exited = new Promise((resolve) => operator!.on('exit', resolve));

      await kubectl([
        'apply',
        '-n',
        namespace,
        '-f',
        join(ws.project, 'config/samples/example_v1alpha1_memcached.yaml'),
      ]);
      const key = { namespace, name: 'memcached-sample' };
      deploymentKey = key;
      let deployment: V1Deployment | undefined;
      let service: V1Service | undefined;
      await until(
        "the operator's Deployment and Service for the sample",
        async () => {
          [deployment, service] = await Promise.all([client.get(Deployment, key), client.get(Service, key)]);
          return deployment !== undefined && service !== undefined;
        },
        120_000,
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}; operator output:\n${output}`);
      });
      const memcached = JSON.parse(await kubectl(['get', 'memcached', '-n', namespace, key.name, '-o', 'json'])) as {
        metadata: { uid: string; finalizers?: string[] };
      };
      const owner = {
        apiVersion: 'example.example.com/v1alpha1',
        kind: 'Memcached',
        name: key.name,
        uid: memcached.metadata.uid,
        controller: true,
      };
      expect(memcached.metadata.finalizers).toEqual(['example.example.com/finalizer']);
      expect(deployment!.metadata?.ownerReferences).toEqual([expect.objectContaining(owner)]);
      expect(service!.metadata?.ownerReferences).toEqual([expect.objectContaining(owner)]);
      expect(deployment!.spec?.replicas).toBe(1);
      const pod = deployment!.spec!.template.spec!;
      expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.containers).toEqual([
        expect.objectContaining({
          image: 'memcached:1.6-alpine',
          command: COMMAND,
          ports: [expect.objectContaining({ containerPort: 11211 })],
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1001,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
          },
        }),
      ]);
      expect(service!.spec?.ports).toEqual([expect.objectContaining({ port: 11211, targetPort: 11211 })]);
    });

    it('has the apiserver enforce spec.size from 1 to 5 (the Minimum/Maximum markers)', async () => {
      const sample = (size: number) =>
        JSON.stringify({
          apiVersion: 'example.example.com/v1alpha1',
          kind: 'Memcached',
          metadata: { name: `size-${size}`, namespace: deploymentKey.namespace },
          spec: { size },
        });
      const create = (size: number) => kubectl(['create', '--dry-run=server', '-f', '-'], { input: sample(size) });
      await expect(create(0)).rejects.toThrow(
        /spec\.size: Invalid value: 0: spec\.size in body should be greater than or equal to 1/,
      );
      await expect(create(6)).rejects.toThrow(
        /spec\.size: Invalid value: 6: spec\.size in body should be less than or equal to 5/,
      );
      await expect(create(5)).resolves.toContain('memcached.example.example.com/size-5 created (server dry run)');
    });

    it(
      'puts back a Deployment deleted behind its back, and scales it with spec.size',
      { timeout: TEN_MINUTES },
      async () => {
        const namespace = deploymentKey.namespace;
        const before = await client.get(Deployment, deploymentKey);
        await client.delete(Deployment, deploymentKey);
        await until(
          'the Deployment back with a new uid',
          async () => {
            const current = await client.get(Deployment, deploymentKey);
            return current !== undefined && current.metadata?.uid !== before?.metadata?.uid;
          },
          120_000,
        );
        await kubectl([
          'patch',
          'memcached',
          '-n',
          namespace,
          deploymentKey.name,
          '--type=merge',
          '-p',
          '{"spec":{"size":3}}',
        ]);
        await until(
          'the Deployment scaled to 3',
          async () => (await client.get(Deployment, deploymentKey))?.spec?.replicas === 3,
          120_000,
        );
      },
    );
  });
});

describe('deploy-image bad input: the flag named, nothing written', () => {
  const ws = useWorkspace('deploy-image-bad', { once: true });
  beforeAll(async () => {
    expect((await runCli(ws.project, INIT_ARGS)).code).toBe(0);
  });

  async function expectRejected(flags: string[], message: RegExp): Promise<void> {
    const before = await treeDigest(ws.project);
    const run = await runCli(ws.project, ['create', 'api', '--yes', ...MEMCACHED, ...flags]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(message);
    expect(await treeDigest(ws.project)).toBe(before);
  }

  it('requires --image', () =>
    expectRejected(['--plugins', 'deploy-image'], /--image is required with --plugins deploy-image/));

  it.each(['0', '65536', '80x', '-1'])('refuses --image-container-port %s', (port) =>
    expectRejected(
      [...PLUGIN.slice(0, 4), '--image-container-port', port],
      /--image-container-port "[^"]+": must be an integer from 1 to 65535/,
    ),
  );

  it.each(['-1', '1.5', 'root'])('refuses --run-as-user %s', (uid) =>
    expectRejected([...PLUGIN, '--run-as-user', uid], /--run-as-user "[^"]+": must be an integer from 0 to 2147483647/),
  );

  it('refuses an empty argument in --image-container-command', () =>
    expectRejected(
      [...PLUGIN, '--image-container-command', 'memcached,,-v'],
      /--image-container-command "memcached,,-v": argument 2 is empty/,
    ));

  it('refuses an unknown plugin', () =>
    expectRejected(
      ['--plugins', 'deploy-images', '--image', 'memcached:1.6'],
      /--plugins deploy-images: unknown plugin/,
    ));

  it('refuses the plugin flags without the plugin', () =>
    expectRejected(['--image', 'memcached:1.6'], /--image is a flag of --plugins deploy-image/));

  it('refuses a cluster-scoped kind', () =>
    expectRejected(
      [...PLUGIN, '--namespaced=false'],
      /--namespaced=false: --plugins deploy-image needs a namespaced kind/,
    ));
});
