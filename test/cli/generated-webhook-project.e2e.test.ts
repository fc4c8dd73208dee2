import { beforeAll, describe, expect, it } from 'vitest';
import { scaffoldInstalledProject, sh, useWorkspace } from './cli-harness.js';

const TEN_MINUTES = 600_000;

// A project with defaulting and validating webhooks: its own `npm run test:e2e` serves them from
// the operator process with a throw-away certificate and checks that the apiserver calls them.
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
    'runs as an operator process whose webhooks the apiserver calls (test:e2e)',
    { timeout: TEN_MINUTES },
    async () => {
      const output = await sh(ws.project, 'npm', ['run', 'test:e2e']);
      expect(output).toMatch(/Tests\s+4 passed \(4\)/);
    },
  );
});
