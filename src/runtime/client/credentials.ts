/**
 * What a request authenticates with, resolved before each attempt: a bearer token, a token file
 * (re-read every minute and on 401, as projected service-account tokens rotate), auth-provider or
 * basic-auth headers, an exec plugin's token and/or client certificate, and client certificate
 * files (re-read when they change on disk, checked at most every `certReloadIntervalMs`).
 */
import { readFileSync, statSync } from 'node:fs';
import type { PluginRestConfig } from '../config.js';
import type { RestConfig } from '../types.js';
import { ExecAuthenticator, type ExecCredentials, type ExecOptions } from './exec-credentials.js';

export interface Credentials {
  headers: Record<string, string>;
  /** PEM client certificate and key for new connections. */
  cert?: string;
  key?: string;
  /** The exec plugin's answer these came from (to refresh exactly it after a 401). */
  exec?: ExecCredentials;
}

const TOKEN_FILE_TTL_MS = 60_000;
const DEFAULT_CERT_RELOAD_MS = 60_000;

export class CredentialSource {
  private tokenFromFile?: { token: string; readAt: number };
  private readonly exec?: ExecAuthenticator;
  private certFiles?: { cert?: string; key?: string; stamp: string; checkedAt: number };
  private last?: { cert?: string; key?: string; token?: string; credentials: Credentials };

  constructor(
    private readonly config: RestConfig,
    private readonly certReloadIntervalMs = DEFAULT_CERT_RELOAD_MS,
    execOptions: ExecOptions = {},
  ) {
    const exec = (config as PluginRestConfig).exec;
    if (exec) this.exec = new ExecAuthenticator(exec, config, execOptions);
  }

  async current(): Promise<Credentials> {
    const { config } = this;
    const files = this.readCertFiles();
    const cert = files?.cert ?? config.certData;
    const key = files?.key ?? config.keyData;
    const token = config.token ?? (config.tokenFile ? this.readTokenFile(false) : undefined);
    const plugin = (config as PluginRestConfig).authHeaders;
    if (!token && plugin) return { headers: await plugin(), cert, key };
    if (!token && this.exec && !cert) {
      const exec = await this.exec.credentials();
      return {
        headers: exec.token ? { Authorization: `Bearer ${exec.token}` } : {},
        cert: exec.certData ?? cert,
        key: exec.certData ? exec.keyData : key,
        exec,
      };
    }
    return this.unchanged(cert, key, token);
  }

  /** After a 401 with `used`: reloads what can change (token file, exec plugin); true when worth a retry. */
  async unauthorized(used: Credentials): Promise<boolean> {
    if (used.exec && this.exec) {
      await this.exec.refresh(used.exec);
      return true;
    }
    if (this.config.tokenFile && !this.config.token) {
      this.readTokenFile(true);
      return true;
    }
    return false;
  }

  /** A token and/or certificate: the same object as long as they stay the same (most requests). */
  private unchanged(cert?: string, key?: string, token?: string): Credentials {
    const { last } = this;
    if (last && last.cert === cert && last.key === key && last.token === token) return last.credentials;
    const credentials: Credentials = { headers: token ? { Authorization: `Bearer ${token}` } : {}, cert, key };
    this.last = { cert, key, token, credentials };
    return credentials;
  }

  private readTokenFile(reload: boolean): string {
    const now = Date.now();
    if (reload || !this.tokenFromFile || now - this.tokenFromFile.readAt > TOKEN_FILE_TTL_MS) {
      this.tokenFromFile = { token: readFileSync(this.config.tokenFile!, 'utf8').trim(), readAt: now };
    }
    return this.tokenFromFile.token;
  }

  /** The certificate and key, each from its file (re-read when it changed) or its data. */
  private readCertFiles(): { cert?: string; key?: string } | undefined {
    const { certFile, keyFile, certData, keyData } = this.config;
    if (!certFile && !keyFile) return undefined;
    const now = Date.now();
    if (this.certFiles && now - this.certFiles.checkedAt < this.certReloadIntervalMs) return this.certFiles;
    const files = [certFile, keyFile].filter((file): file is string => file !== undefined);
    const stamp = files
      .map((file) => {
        const stat = statSync(file);
        return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
      })
      .join();
    if (this.certFiles?.stamp !== stamp) {
      this.certFiles = {
        cert: certFile ? readFileSync(certFile, 'utf8') : certData,
        key: keyFile ? readFileSync(keyFile, 'utf8') : keyData,
        stamp,
        checkedAt: now,
      };
    }
    this.certFiles.checkedAt = now;
    return this.certFiles;
  }
}
