import { beforeAll, describe, expect, it } from 'vitest';
import { scaffoldInstalledProject, sh, useWorkspace } from './cli-harness.js';

const TEN_MINUTES = 600_000;

// A project with defaulting and validating webhooks: its own `npm test` serves them in-process
// (the scaffolded envtest test) and its `npm run test:e2e` from the operator process, each with a
// throw-away certificate, and both check that the apiserver calls them.
describe('generated project with webhooks', () => {
  const ws = useWorkspace('generated-webhooks', { once: true });
  beforeAll(async () => {
    await scaffoldInstalledProject(ws.project, [
      ['create', 'api', '--group', 'webapp', '--version', 'v1', '--kind', 'Guestbook'],
      [
        'create',
        'webhook',
        '--group',
        'webapp',
        '--version',
        'v1',
        '--kind',
        'Guestbook',
        '--defaulting',
        '--programmatic-validation',
      ],
    ]);
  }, TEN_MINUTES);

  it(
    "passes its own tests, the apiserver calling the webhooks served in-process (kubebuilder's webhook suite test)",
    { timeout: TEN_MINUTES },
    async () => {
      const output = await sh(ws.project, 'npm', ['test', '--', '--reporter=verbose']);
      expect(output).toMatch(
        /✓ .*Guestbook v1 webhooks called by the apiserver > defaults spec\.foo of a Guestbook created without it/,
      );
      expect(output).toMatch(
        /✓ .*Guestbook v1 webhooks called by the apiserver > denies a Guestbook with an empty spec\.foo/,
      );
      expect(output).toMatch(/Tests\s+9 passed \(9\)/);
    },
  );

  it(
    'runs as an operator process whose webhooks the apiserver calls (test:e2e)',
    { timeout: TEN_MINUTES },
    async () => {
      const output = await sh(ws.project, 'npm', ['run', 'test:e2e']);
      expect(output).toMatch(/Tests\s+4 passed \(4\)/);
    },
  );
});
