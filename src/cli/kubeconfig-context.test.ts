import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kubeconfigContext } from './kubeconfig-context.js';

describe('kubeconfigContext', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('merges $KUBECONFIG files as kubectl: the first current-context and the first definition of a context win', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeforge-kubeconfig-'));
    const first = join(dir, 'a');
    const second = join(dir, 'b');
    writeFileSync(first, 'contexts: [{ name: dev, context: { namespace: team-a } }]\n');
    writeFileSync(
      second,
      'current-context: dev\ncontexts: [{ name: dev, context: { namespace: team-b } }, { name: prod, context: {} }]\n',
    );
    vi.stubEnv('KUBECONFIG', [first, join(dir, 'missing'), second].join(delimiter));
    expect(kubeconfigContext(undefined)).toEqual({
      files: [first, join(dir, 'missing'), second],
      context: 'dev',
      namespace: 'team-a',
    });
    expect(kubeconfigContext(undefined, 'prod')).toMatchObject({ context: 'prod', namespace: undefined });
    expect(kubeconfigContext(second)).toEqual({ files: [second], context: 'dev', namespace: 'team-b' });
  });
});
