/**
 * The few apiserver calls envtest makes itself (readiness, CRD create and status), over
 * node:https with the admin client certificate. Deliberately tiny and independent of
 * `kubeforge/runtime`, so the control plane can be started before any runtime code loads.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { RestConfig } from '../runtime/index.js';

export interface ApiResponse {
  status: number;
  body: string;
}

export async function apiRequest(
  config: RestConfig,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 10_000,
): Promise<ApiResponse> {
  const url = new URL(path, config.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  // Credentials as a kubeconfig may give them (useExistingCluster): inline, as files, or from an auth provider.
  const fromFile = (file: string | undefined) => (file ? readFileSync(file, 'utf8') : undefined);
  const token = config.token ?? fromFile(config.tokenFile)?.trim();
  const { authHeaders } = config as { authHeaders?: () => Promise<Record<string, string>> };
  const providerHeaders = authHeaders ? await authHeaders() : {};
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: config.caData,
        cert: config.certData ?? fromFile(config.certFile),
        key: config.keyData ?? fromFile(config.keyFile),
        servername: config.tlsServerName,
        rejectUnauthorized: config.insecureSkipTlsVerify !== true,
        headers: {
          accept: 'application/json',
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...providerHeaders,
        },
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.href} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Polls `check` every `intervalMs` until it returns true. Throws `describe()` when `timeoutMs`
 * passes or `abortIf()` returns a reason (e.g. the process under test exited).
 */
export async function pollUntil(
  check: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; describe: () => string; abortIf?: () => string | undefined },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const reason = options.abortIf?.();
    if (reason) throw new Error(`${options.describe()}: ${reason}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${options.describe()}: timed out after ${options.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
