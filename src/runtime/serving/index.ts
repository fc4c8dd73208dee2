/**
 * What the runtime's servers (metrics, health probes, webhooks) share: certificates made in-process
 * (a CA, leaf certificates, the self-signed certificate of a server given none), serving
 * certificates read from a directory and reloaded on rotation, the TLS settings (TLS ≥ 1.2, AEAD
 * suites), and HTTP(S) servers with HTTP/2 off by default and bounded request heads, bodies and times.
 */
export {
  createCertificateAuthority,
  issueCertificate,
  newKeyPair,
  selfSignedServingCertificate,
  type CertificateRequest,
  type CertifiedKey,
  type KeyPairPem,
} from './certificates.js';
export { CertificateWatcher, type CertificateFiles, type CertificateOwner } from './certificate-watcher.js';
export {
  DEFAULT_SERVER_LIMITS,
  HardenedServer,
  type RequestHandler,
  type ServerLimits,
  type ServerOptions,
} from './http-server.js';
export { secureContextOf, TLS_CIPHERS, TLS_SERVER_OPTIONS, type CertificatePair } from './tls.js';
