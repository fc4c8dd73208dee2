/**
 * Certificates made in-process: a CA, leaf certificates it signs (serving or client), and the
 * self-signed serving certificate a server uses when it was given none (the metrics server). envtest
 * makes a control plane's certificates with these, `kubeforge run --webhooks` its webhook
 * certificate.
 *
 * All keys are ECDSA P-256, generated and used for signing by node:crypto (a key pair takes under
 * a millisecond; RSA-2048 took 0.2–1.5 s each on a busy 2-core machine). node:crypto cannot build
 * certificates, so the X.509 structure (RFC 5280) is assembled here with the DER helpers of
 * `der.ts`; see docs/envtest.md for why not a library or `openssl`.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import { promisify } from 'node:util';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  children,
  explicit,
  fromPem,
  implicitPrimitive,
  integer,
  objectIdentifier,
  octetString,
  pem,
  sequence,
  set,
  time,
  utf8String,
} from './der.js';

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

export interface CertificateRequest {
  commonName: string;
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: 'server' | 'client';
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

/** Bit numbers of the KeyUsage BIT STRING (RFC 5280 §4.2.1.3). */
const KEY_USAGE = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 };

const ONE_DAY_MS = 24 * 60 * 60 * 1000;

/** An ECDSA P-256 key pair. */
export async function newKeyPair(): Promise<KeyPairPem> {
  return generateKeyPairAsync('ec', {
    namedCurve: 'prime256v1',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

function distinguishedName(commonName: string, organizations: string[] = []): Buffer {
  const attribute = (oid: string, value: string) => set(sequence(objectIdentifier(oid), utf8String(value)));
  return sequence(
    ...organizations.map((value) => attribute(OID.organization, value)),
    attribute(OID.commonName, commonName),
  );
}

function extension(oid: string, value: Buffer, critical = false): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value));
}

function keyUsage(bits: number[]): Buffer {
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc((highest >> 3) + 1);
  for (const bit of bits) bytes[bit >> 3] |= 0x80 >> (bit & 7);
  return bitString(bytes, highest + 1);
}

/** SHA-1 of the DER public key: a stable identifier for chain building. */
function keyIdentifier(publicKeyPem: string): Buffer {
  return createHash('sha1')
    .update(createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' }))
    .digest();
}

function signedCertificate(options: {
  subject: Buffer;
  issuer: Buffer;
  publicKeyPem: string;
  signingKeyPem: string;
  validDays: number;
  extensions: Buffer[];
}): string {
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x40;
  const now = Date.now();
  const signatureAlgorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  const toBeSigned = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    signatureAlgorithm,
    options.issuer,
    sequence(time(new Date(now - 60 * 60 * 1000)), time(new Date(now + options.validDays * ONE_DAY_MS))),
    options.subject,
    createPublicKey(options.publicKeyPem).export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...options.extensions)),
  );
  const signature = sign('sha256', toBeSigned, createPrivateKey(options.signingKeyPem));
  return pem('CERTIFICATE', sequence(toBeSigned, signatureAlgorithm, bitString(signature)));
}

/** A self-signed certificate authority, valid for 10 years. */
export async function createCertificateAuthority(commonName: string): Promise<CertifiedKey> {
  const keys = await newKeyPair();
  const name = distinguishedName(commonName);
  const cert = signedCertificate({
    subject: name,
    issuer: name,
    publicKeyPem: keys.publicKey,
    signingKeyPem: keys.privateKey,
    validDays: 3650,
    extensions: [
      extension(OID.basicConstraints, sequence(boolean(true)), true),
      extension(OID.keyUsage, keyUsage([KEY_USAGE.digitalSignature, KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign]), true),
      extension(OID.subjectKeyIdentifier, octetString(keyIdentifier(keys.publicKey))),
    ],
  });
  return { cert, key: keys.privateKey };
}

/** A leaf certificate signed by `ca`, valid for one year. */
export async function issueCertificate(ca: CertifiedKey, request: CertificateRequest): Promise<CertifiedKey> {
  const keys = await newKeyPair();
  const caSubject = children(children(fromPem(ca.cert))[0])[5];
  const caKeyId = keyIdentifier(
    new X509Certificate(ca.cert).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  const altNames = [
    ...(request.dnsNames ?? []).map((dns) => implicitPrimitive(2, Buffer.from(dns, 'ascii'))),
    ...(request.ipAddresses ?? []).map((ip) => implicitPrimitive(7, ipAddressBytes(ip))),
  ];
  const cert = signedCertificate({
    subject: distinguishedName(request.commonName, request.organizations),
    issuer: caSubject,
    publicKeyPem: keys.publicKey,
    signingKeyPem: ca.key,
    validDays: 365,
    extensions: [
      extension(OID.basicConstraints, sequence(), true),
      extension(OID.keyUsage, keyUsage([KEY_USAGE.digitalSignature]), true),
      extension(
        OID.extKeyUsage,
        sequence(objectIdentifier(request.usage === 'server' ? OID.serverAuth : OID.clientAuth)),
      ),
      extension(OID.authorityKeyIdentifier, sequence(implicitPrimitive(0, caKeyId))),
      ...(altNames.length > 0 ? [extension(OID.subjectAltName, sequence(...altNames))] : []),
    ],
  });
  return { cert, key: keys.privateKey };
}

/** 4 bytes for IPv4, 16 for IPv6. */
function ipAddressBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  if (isIP(ip) !== 6) throw new Error(`"${ip}" is not an IP address`);
  const [head, tail = ''] = ip.split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = ip.includes('::')
    ? [...groups(head), ...Array<string>(missing).fill('0'), ...groups(tail)]
    : groups(head);
  return Buffer.from(all.flatMap((group) => [parseInt(group, 16) >> 8, parseInt(group, 16) & 0xff]));
}

/**
 * A serving certificate for this host (localhost, 127.0.0.1, ::1 and `hostNames`), signed by a
 * throw-away CA that only lives in memory: what a server presents when no certificate was given.
 */
export async function selfSignedServingCertificate(
  commonName: string,
  hostNames: string[] = [],
): Promise<CertifiedKey> {
  const ca = await createCertificateAuthority(`${commonName}-ca`);
  return issueCertificate(ca, {
    commonName,
    usage: 'server',
    dnsNames: ['localhost', ...hostNames.filter((name) => name !== 'localhost')],
    ipAddresses: ['127.0.0.1', '::1'],
  });
}
