/**
 * Kubeconfig files for a control plane: certificates embedded as base64 data, so the file is
 * self-contained and works with kubectl and with `loadRestConfig({ kubeconfig })`.
 */
import { stringify } from 'yaml';
import type { RestConfig } from '../runtime/index.js';

const base64 = (pem: string | undefined) =>
  pem === undefined ? undefined : Buffer.from(pem, 'utf8').toString('base64');

/** A kubeconfig YAML with one cluster, one user and one current context, all named `envtest`. */
export function kubeconfigYaml(config: RestConfig, name = 'envtest'): string {
  const user: Record<string, string> = {};
  if (config.certData) user['client-certificate-data'] = base64(config.certData)!;
  if (config.keyData) user['client-key-data'] = base64(config.keyData)!;
  if (config.token) user.token = config.token;
  const cluster: Record<string, string | boolean> = { server: config.server };
  if (config.caData) cluster['certificate-authority-data'] = base64(config.caData)!;
  if (config.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    preferences: {},
  });
}
