import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createControlPlaneCertificates, type ControlPlaneCertificates } from './certificates.js';

describe('control plane certificates', () => {
  let certs: ControlPlaneCertificates;
  beforeAll(async () => {
    certs = await createControlPlaneCertificates();
  }, 30_000);

  it('issues a serving and an admin certificate that the CA verifies', () => {
    const ca = new X509Certificate(certs.ca.cert);
    const serving = new X509Certificate(certs.serving.cert);
    const admin = new X509Certificate(certs.admin.cert);

    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(serving.verify(ca.publicKey)).toBe(true);
    expect(admin.verify(ca.publicKey)).toBe(true);
    expect(serving.checkIssued(ca)).toBe(true);
    expect(serving.ca).toBe(false);
  });

  it('makes the serving certificate valid for loopback and the in-cluster service names', () => {
    const serving = new X509Certificate(certs.serving.cert);
    expect(serving.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(serving.checkIP('::1')).toBe('::1');
    expect(serving.checkHost('localhost')).toBe('localhost');
    expect(serving.checkHost('kubernetes.default.svc')).toBe('kubernetes.default.svc');
    expect(serving.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
  });

  it('puts the admin user in system:masters with a client-auth certificate matching its key', () => {
    const admin = new X509Certificate(certs.admin.cert);
    expect(admin.subject).toContain('O=system:masters');
    expect(admin.keyUsage).toContain('1.3.6.1.5.5.7.3.2');
    expect(createPublicKey(createPrivateKey(certs.admin.key)).export({ format: 'pem', type: 'spki' })).toBe(
      admin.publicKey.export({ format: 'pem', type: 'spki' }),
    );
  });

  it('makes an ECDSA service-account signing key pair', () => {
    const privateKey = createPrivateKey(certs.serviceAccount.privateKey);
    expect(privateKey.asymmetricKeyType).toBe('ec');
    expect(createPublicKey(privateKey).export({ format: 'pem', type: 'spki' })).toBe(certs.serviceAccount.publicKey);
  });
});
