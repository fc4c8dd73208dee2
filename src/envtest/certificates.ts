/**
 * The certificates a control plane needs, made in-process: a CA, a serving certificate for the
 * apiserver (localhost, 127.0.0.1, ::1 and the in-cluster service names), an admin client
 * certificate in `system:masters`, and a service-account signing key pair.
 *
 * Keys come from node:crypto (native generation); node-forge builds and signs the X.509
 * structures, which node:crypto cannot do (see docs/envtest.md for why not `openssl`).
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface KeyPairPem {
  /** PKCS#8 PEM */
  privateKey: string;
  /** SPKI PEM */
  publicKey: string;
}

export interface CertifiedKey {
  /** PEM certificate */
  cert: string;
  /** PKCS#8 PEM private key */
  key: string;
}

export interface ControlPlaneCertificates {
  ca: CertifiedKey;
  serving: CertifiedKey;
  admin: CertifiedKey;
  serviceAccount: KeyPairPem;
}

export interface CertificateRequest {
  commonName: string;
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: 'server' | 'client';
}

const ONE_DAY_MS = 24 * 60 * 60 * 1000;

/** RSA: node-forge signs and embeds only RSA keys. */
async function rsaKeyPair(): Promise<KeyPairPem> {
  return generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/** ECDSA P-256 (ES256 tokens): for the service-account signing key, which is not in a certificate. */
async function ecKeyPair(): Promise<KeyPairPem> {
  return generateKeyPairAsync('ec', {
    namedCurve: 'prime256v1',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

function subjectOf(commonName: string, organizations: string[] = []): forge.pki.CertificateField[] {
  return [
    { name: 'commonName', value: commonName },
    ...organizations.map((value) => ({ name: 'organizationName', value })),
  ];
}

function newCertificate(publicKeyPem: string, validDays: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = '01' + forge.util.bytesToHex(forge.random.getBytesSync(15));
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + validDays * ONE_DAY_MS);
  return cert;
}

function sign(cert: forge.pki.Certificate, signerKeyPem: string): string {
  cert.sign(forge.pki.privateKeyFromPem(signerKeyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/** A self-signed certificate authority, valid for 10 years. */
export async function createCertificateAuthority(commonName = 'kubeforge-envtest-ca'): Promise<CertifiedKey> {
  const keys = await rsaKeyPair();
  const cert = newCertificate(keys.publicKey, 3650);
  cert.setSubject(subjectOf(commonName));
  cert.setIssuer(subjectOf(commonName));
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  return { cert: sign(cert, keys.privateKey), key: keys.privateKey };
}

/** A leaf certificate signed by `ca`, valid for one year. */
export async function issueCertificate(ca: CertifiedKey, request: CertificateRequest): Promise<CertifiedKey> {
  const keys = await rsaKeyPair();
  const cert = newCertificate(keys.publicKey, 365);
  cert.setSubject(subjectOf(request.commonName, request.organizations));
  cert.setIssuer(forge.pki.certificateFromPem(ca.cert).subject.attributes);
  const altNames = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(request.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: request.usage === 'server', clientAuth: request.usage === 'client' },
    ...(altNames.length > 0 ? [{ name: 'subjectAltName', altNames }] : []),
  ]);
  return { cert: sign(cert, ca.key), key: keys.privateKey };
}

/** Everything an apiserver on loopback needs; keys are generated in parallel. */
export async function createControlPlaneCertificates(): Promise<ControlPlaneCertificates> {
  const [ca, serviceAccount] = await Promise.all([createCertificateAuthority(), ecKeyPair()]);
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
