/**
 * Exec credential plugins (kubeconfig `user.exec`), with client-go's semantics: the plugin gets
 * `KUBERNETES_EXEC_INFO` (an ExecCredential with `spec.interactive` and, with
 * `provideClusterInfo`, `spec.cluster`), its stderr goes to ours (device codes and prompts stay
 * visible) and stdin too when interactive; its answer is cached until `expirationTimestamp`, or
 * until the server answers 401 when it has none; concurrent requests share one run; a 401 runs it
 * again. It may return a bearer token, a client certificate and key, or both. Unlike client-go a
 * run has a time limit, so a hung plugin fails the request instead of blocking the operator.
 */
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import type { ExecPluginConfig } from '../config.js';
import type { RestConfig } from '../types.js';

export interface ExecCredentials {
  token?: string;
  certData?: string;
  keyData?: string;
}

export interface ExecOptions {
  /** How long one run may take before it is killed. Default 5 minutes (a person may have to log in). */
  timeoutMs?: number;
  /** Where the plugin's stderr goes. Default: this process's stderr. */
  stderr?: Writable;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export class ExecAuthenticator {
  private cached?: ExecCredentials;
  private expiresAt?: number;
  private running?: Promise<ExecCredentials>;

  constructor(
    private readonly exec: ExecPluginConfig,
    private readonly cluster: RestConfig,
    private readonly options: ExecOptions = {},
  ) {}

  /** The cached credentials, or those of one (shared) plugin run. */
  credentials(): Promise<ExecCredentials> {
    if (this.cached && (this.expiresAt === undefined || Date.now() < this.expiresAt))
      return Promise.resolve(this.cached);
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  /** After the server refused `used` with 401: runs the plugin again, unless another request already did. */
  refresh(used: ExecCredentials): Promise<ExecCredentials> {
    if (this.cached === used) this.cached = undefined;
    return this.credentials();
  }

  private async run(): Promise<ExecCredentials> {
    const { exec } = this;
    const interactive = this.interactive();
    const info = {
      apiVersion: exec.apiVersion,
      kind: 'ExecCredential',
      spec: { interactive, ...(exec.provideClusterInfo ? { cluster: this.clusterInfo() } : {}) },
    };
    const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
    for (const { name, value } of exec.env) env[name] = value;
    const stdout = await this.spawnPlugin(env, interactive);
    const credential = parseCredential(stdout, exec);
    const status = credential.status!;
    const expiry = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : undefined;
    if (expiry !== undefined && Number.isNaN(expiry))
      throw new Error(`${this.what()}: status.expirationTimestamp "${status.expirationTimestamp}" is not a time`);
    this.expiresAt = expiry;
    this.cached = {
      token: status.token || undefined,
      certData: status.clientCertificateData,
      keyData: status.clientKeyData,
    };
    return this.cached;
  }

  private interactive(): boolean {
    const tty = process.stdin.isTTY === true;
    if (this.exec.interactiveMode === 'Never') return false;
    if (this.exec.interactiveMode === 'IfAvailable') return tty;
    if (!tty) throw new Error(`${this.what()}: interactiveMode is Always but standard input is not a terminal`);
    return true;
  }

  private clusterInfo(): Record<string, unknown> {
    const c = this.cluster;
    return {
      server: c.server,
      'tls-server-name': c.tlsServerName,
      'insecure-skip-tls-verify': c.insecureSkipTlsVerify,
      'certificate-authority-data': c.caData ? Buffer.from(c.caData).toString('base64') : undefined,
      'proxy-url': c.proxyUrl,
      'disable-compression': c.disableCompression,
      config: this.exec.clusterConfig,
    };
  }

  private spawnPlugin(env: NodeJS.ProcessEnv, interactive: boolean): Promise<string> {
    const { exec } = this;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const stderr = this.options.stderr;
    return new Promise((resolve, reject) => {
      const child = spawn(exec.command, exec.args, {
        env,
        stdio: [interactive ? 'inherit' : 'ignore', 'pipe', stderr ? 'pipe' : 'inherit'],
      });
      const chunks: Buffer[] = [];
      child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
      if (stderr) child.stderr!.pipe(stderr, { end: false });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (error.code !== 'ENOENT') return reject(new Error(`${this.what()}: ${error.message}`, { cause: error }));
        const hint = exec.installHint ? `\n\n${exec.installHint}` : '';
        reject(
          new Error(
            `${this.what()}: executable ${exec.command} not found\n\nIt looks like you are trying to use a client-go credential plugin that is not installed.${hint}`,
            { cause: error },
          ),
        );
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (timedOut)
          reject(new Error(`${this.what()}: ${exec.command} did not finish within ${timeoutMs} ms; killed`));
        else if (code !== 0)
          reject(
            new Error(
              `${this.what()}: ${exec.command} failed (${signal ? `signal ${signal}` : `exit code ${code}`}); its stderr is above`,
            ),
          );
        else resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
  }

  private what(): string {
    return `exec plugin of ${this.exec.source}`;
  }
}

interface ExecCredentialStatus {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expirationTimestamp?: string;
}

function parseCredential(stdout: string, exec: ExecPluginConfig): { status?: ExecCredentialStatus } {
  const what = `exec plugin of ${exec.source}`;
  let credential: { apiVersion?: string; kind?: string; status?: ExecCredentialStatus };
  try {
    credential = JSON.parse(stdout) as typeof credential;
  } catch (e) {
    throw new Error(`${what}: decoding stdout: ${(e as Error).message}: ${stdout.slice(0, 200)}`, { cause: e });
  }
  if (credential?.kind !== 'ExecCredential' || credential.apiVersion !== exec.apiVersion)
    throw new Error(
      `${what}: the plugin returned ${credential?.kind ?? 'no kind'} ${credential?.apiVersion ?? ''}, expected ExecCredential ${exec.apiVersion}`,
    );
  const status = credential.status;
  if (!status) throw new Error(`${what}: the plugin returned no status`);
  if (!status.token && !status.clientCertificateData && !status.clientKeyData)
    throw new Error(`${what}: the plugin returned no token and no certificate/key pair`);
  if (!status.clientCertificateData !== !status.clientKeyData)
    throw new Error(`${what}: the plugin returned only a certificate or a key, not both`);
  return credential;
}
