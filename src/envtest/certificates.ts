/**
 * The certificates a control plane needs: a CA, a serving certificate for the apiserver
 * (localhost, 127.0.0.1, ::1 and the in-cluster service names), an admin client certificate in
 * `system:masters`, and a service-account signing key pair — made in-process with the runtime's
 * certificate code (`kubeforge/runtime/serving`).
 */
import {
  createCertificateAuthority,
  issueCertificate,
  newKeyPair,
  type CertifiedKey,
  type KeyPairPem,
} from '../runtime/serving/index.js';

export interface ControlPlaneCertificates {
  ca: CertifiedKey;
  serving: CertifiedKey;
  admin: CertifiedKey;
  serviceAccount: KeyPairPem;
}

/** Everything an apiserver on loopback needs. */
export async function createControlPlaneCertificates(): Promise<ControlPlaneCertificates> {
  const [ca, serviceAccount] = await Promise.all([createCertificateAuthority('kubeforge-envtest-ca'), newKeyPair()]);
  const [serving, admin] = await Promise.all([
    issueCertificate(ca, {
      commonName: 'kube-apiserver',
      usage: 'server',
      dnsNames: [
        'localhost',
        'kubernetes',
        'kubernetes.default',
        'kubernetes.default.svc',
        'kubernetes.default.svc.cluster.local',
      ],
      ipAddresses: ['127.0.0.1', '::1', '10.0.0.1'],
    }),
    issueCertificate(ca, { commonName: 'kubeforge-envtest-admin', organizations: ['system:masters'], usage: 'client' }),
  ]);
  return { ca, serving, admin, serviceAccount };
}
