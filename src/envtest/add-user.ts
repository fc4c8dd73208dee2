/**
 * Users for RBAC tests, as controller-runtime's envtest `AddUser`: a client certificate for
 * `name` in `groups`, signed by the control plane's CA, so the apiserver authenticates it as that
 * user. It is granted nothing: bind Roles to it (or to one of its groups) to give it rights.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvtestError } from '../errors.js';
import type { RestConfig } from '../runtime/index.js';
import { issueCertificate, type CertifiedKey } from '../runtime/serving/index.js';
import { kubeconfigYaml } from './kubeconfig.js';

export interface User {
  /** The user name the apiserver sees (the certificate's common name). */
  name: string;
  /** Its groups (the certificate's organizations); the apiserver adds `system:authenticated`. */
  groups?: string[];
}

export interface AuthenticatedUser {
  readonly name: string;
  readonly groups: string[];
  /** Connects as the user (client certificate, the control plane's CA). */
  readonly restConfig: RestConfig;
  /** A kubeconfig YAML for the user (for kubectl or `loadRestConfig`). */
  readonly kubeconfig: string;
  /** The same kubeconfig as a file in the control plane's run directory. */
  readonly kubeconfigPath: string;
}

let userFiles = 0;

/** Issues a client certificate for `user` from `ca` and writes its kubeconfig into `dir`. */
export async function addUser(
  ca: CertifiedKey,
  server: RestConfig,
  user: User,
  dir: string,
): Promise<AuthenticatedUser> {
  if (!user?.name?.trim()) throw new EnvtestError('addUser: the user needs a name');
  const groups = user.groups ?? [];
  const certificate = await issueCertificate(ca, { commonName: user.name, organizations: groups, usage: 'client' });
  const restConfig: RestConfig = {
    server: server.server,
    caData: server.caData,
    certData: certificate.cert,
    keyData: certificate.key,
    userAgent: server.userAgent,
  };
  const kubeconfig = kubeconfigYaml(restConfig);
  const kubeconfigPath = join(dir, `user-${++userFiles}.kubeconfig`);
  await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
  return { name: user.name, groups, restConfig, kubeconfig, kubeconfigPath };
}
