/**
 * Command lines of the control-plane components, as controller-runtime's envtest runs them, plus
 * what this machine needs: loopback advertise/bind addresses (without a default route the
 * apiserver cannot pick an address and exits) and etcd without fsync on a tmpfs data dir.
 */

/** Files in the run directory the components read. */
export interface ControlPlaneFiles {
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
  kubeconfig: string;
}

export function etcdFlags(options: { dataDir: string; clientPort: number; peerPort: number }): string[] {
  const clientUrl = `http://127.0.0.1:${options.clientPort}`;
  const peerUrl = `http://127.0.0.1:${options.peerPort}`;
  return [
    '--name=envtest',
    `--data-dir=${options.dataDir}`,
    `--listen-client-urls=${clientUrl}`,
    `--advertise-client-urls=${clientUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=envtest=${peerUrl}`,
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export function apiServerFlags(options: {
  port: number;
  etcdPort: number;
  etcdPrefix: string;
  certDir: string;
  files: ControlPlaneFiles;
}): string[] {
  const { files } = options;
  return [
    '--advertise-address=127.0.0.1',
    '--bind-address=127.0.0.1',
    `--secure-port=${options.port}`,
    `--cert-dir=${options.certDir}`,
    `--tls-cert-file=${files.servingCert}`,
    `--tls-private-key-file=${files.servingKey}`,
    `--client-ca-file=${files.caCert}`,
    `--etcd-servers=http://127.0.0.1:${options.etcdPort}`,
    `--etcd-prefix=${options.etcdPrefix}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--allow-privileged=true',
    '--authorization-mode=RBAC',
    '--disable-admission-plugins=ServiceAccount',
    `--service-account-issuer=https://127.0.0.1:${options.port}`,
    `--service-account-key-file=${files.serviceAccountPublicKey}`,
    `--service-account-signing-key-file=${files.serviceAccountKey}`,
    '--endpoint-reconciler-type=none',
    '--profiling=false',
  ];
}

export function controllerManagerFlags(files: ControlPlaneFiles): string[] {
  return [
    `--kubeconfig=${files.kubeconfig}`,
    '--leader-elect=false',
    // no serving port: nothing scrapes it, and it would need delegated authentication
    '--secure-port=0',
    '--controllers=*',
    '--use-service-account-credentials=false',
    `--service-account-private-key-file=${files.serviceAccountKey}`,
    `--root-ca-file=${files.caCert}`,
    `--cluster-signing-cert-file=${files.caCert}`,
    `--cluster-signing-key-file=${files.caKey}`,
    '--concurrent-gc-syncs=5',
    '--profiling=false',
  ];
}
