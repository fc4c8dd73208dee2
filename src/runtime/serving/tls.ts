/**
 * The TLS settings every runtime server uses: TLS 1.2 and 1.3 only, and for TLS 1.2 only forward-
 * secret AEAD suites (ECDHE with AES-GCM or ChaCha20-Poly1305, Mozilla's "intermediate" list) —
 * no CBC, no RSA key exchange, no SHA-1 MACs. TLS 1.3's suites are all AEAD and stay on.
 */
import { createSecureContext, type SecureContext } from 'node:tls';

/** PEM certificate (chain) and private key. */
export interface CertificatePair {
  cert: string;
  key: string;
}

export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

export const TLS_SERVER_OPTIONS = { minVersion: 'TLSv1.2', ciphers: TLS_CIPHERS, honorCipherOrder: true } as const;

/** A context with the runtime's TLS settings for the pair; throws when key and certificate do not match. */
export function secureContextOf(pair: CertificatePair): SecureContext {
  return createSecureContext({ ...TLS_SERVER_OPTIONS, ...pair });
}
