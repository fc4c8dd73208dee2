import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kubeconfigYaml } from './kubeconfig.js';

describe('kubeconfigYaml', () => {
  it('embeds the CA and client certificate as base64 data under one current context', () => {
    const config = parse(
      kubeconfigYaml({ server: 'https://127.0.0.1:6443', caData: 'CA PEM', certData: 'CERT PEM', keyData: 'KEY PEM' }),
    );
    expect(config['current-context']).toBe('envtest');
    expect(config.clusters[0].cluster).toEqual({
      server: 'https://127.0.0.1:6443',
      'certificate-authority-data': Buffer.from('CA PEM').toString('base64'),
    });
    expect(config.users[0].user).toEqual({
      'client-certificate-data': Buffer.from('CERT PEM').toString('base64'),
      'client-key-data': Buffer.from('KEY PEM').toString('base64'),
    });
    expect(config.contexts[0]).toEqual({ name: 'envtest', context: { cluster: 'envtest', user: 'envtest' } });
  });

  it('writes a bearer token and insecure-skip-tls-verify when the config has them', () => {
    const config = parse(
      kubeconfigYaml({ server: 'https://127.0.0.1:6443', token: 'abc', insecureSkipTlsVerify: true }, 'other'),
    );
    expect(config.users[0]).toEqual({ name: 'other', user: { token: 'abc' } });
    expect(config.clusters[0].cluster['insecure-skip-tls-verify']).toBe(true);
  });
});
