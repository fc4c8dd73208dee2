import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, testKubeconfigPath } from '../support/cluster.js';
import { scaffoldInstalledProject, sh, useWorkspace } from './cli-harness.js';

const TEN_MINUTES = 600_000;
const RESTRICTED = ['pod-security.kubernetes.io/enforce=restricted', 'pod-security.kubernetes.io/warn=restricted'];

// A new user's path, with the CLI run as users run it (node bin/kubeforge.js, built by `npm test`):
// init + two create api, npm install against this checkout, then build, lint, test and test:e2e
// of the generated project — its tests run against real control planes from kubeforge/envtest.
describe('generated project', () => {
  const ws = useWorkspace('generated', { once: true });
  beforeAll(async () => {
    await scaffoldInstalledProject(ws.project, [
      ['create', 'api', '--group', 'webapp', '--version', 'v1', '--kind', 'Guestbook'],
      ['create', 'api', '--group', 'batch', '--version', 'v1alpha1', '--kind', 'Policy', '--namespaced=false'],
    ]);
  }, TEN_MINUTES);

  it('builds', { timeout: TEN_MINUTES }, async () => {
    await sh(ws.project, 'npm', ['run', 'build']);
    expect(existsSync(join(ws.project, 'dist/src/main.js'))).toBe(true);
    await sh(ws.project, 'npm', ['run', 'typecheck']);
  });

  it('refuses a bad flag or a missing kubeconfig with one error line and exit code 2, like Go flags', async () => {
    const operator = (args: string[]) =>
      spawnSync(process.execPath, ['dist/src/main.js', ...args], { cwd: ws.project, encoding: 'utf8' });
    const badFlag = operator(['--metrics-bind-address=nowhere']);
    expect(badFlag.stderr).toBe(
      'error: --metrics-bind-address: invalid bind address "nowhere" (expected host:port, :port, or 0 to disable)\n',
    );
    expect(badFlag.status).toBe(2);
    const missingKubeconfig = operator(['--kubeconfig', join(ws.project, 'no-such-kubeconfig')]);
    expect(missingKubeconfig.stderr).toMatch(/^error: [^\n]*no-such-kubeconfig[^\n]*\n$/);
    expect(missingKubeconfig.status).toBe(2);
  });

  it('lints clean', { timeout: TEN_MINUTES }, async () => {
    await sh(ws.project, 'npm', ['run', 'lint']);
  });

  it('passes its controller tests against a real control plane', { timeout: TEN_MINUTES }, async () => {
    const output = await sh(ws.project, 'npm', ['test']);
    expect(output).toMatch(/CREATE config\/crd\/bases\/webapp\.example\.com_guestbooks\.yaml/);
    expect(output).toMatch(/Tests\s+6 passed/);
  });

  it('deploys: config/default renders and the apiserver accepts it under the restricted pod security standard', async () => {
    const rendered = await sh(ws.project, 'kubectl', ['kustomize', 'config/default']);
    expect(rendered).toMatch(/^kind: CustomResourceDefinition$/m);
    const namespace = await createTestNamespace('guestbook-system');
    const kubeconfig = ['--kubeconfig', testKubeconfigPath()];
    await sh(ws.project, 'kubectl', [...kubeconfig, 'label', 'namespace', namespace, ...RESTRICTED]);
    const manifest = join(ws.root, 'deploy.yaml');
    await writeFile(manifest, rendered.replaceAll('guestbook-system', namespace));
    // Other tests on the shared control plane may already have installed this CRD with another
    // field manager: force the (dry-run) apply so the check is acceptance, not field ownership.
    const applied = await sh(ws.project, 'kubectl', [
      ...kubeconfig,
      'apply',
      '--server-side',
      '--force-conflicts',
      '--dry-run=server',
      '-f',
      manifest,
    ]);
    expect(applied).toContain('deployment.apps/guestbook-controller-manager serverside-applied (server dry run)');
    expect(applied).not.toMatch(/Warning|violate/);
  });

  it('runs as an operator process that reconciles its samples (test:e2e)', { timeout: TEN_MINUTES }, async () => {
    const output = await sh(ws.project, 'npm', ['run', 'test:e2e']);
    expect(output).toMatch(/Tests\s+3 passed/);
  });
});
