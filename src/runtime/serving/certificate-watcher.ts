/**
 * Serving certificates from a directory (`tls.crt` + `tls.key`, as a Kubernetes TLS Secret or
 * cert-manager mounts them), reloaded when they change on disk: the directory is watched, and
 * re-read on a slow poll too, because Secret volumes swap a `..data` symlink that some file
 * systems report late. A half-written pair (key and cert that do not match) is ignored until
 * the pair is whole again, so rotation never interrupts serving.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { secureContextOf, type CertificatePair } from './tls.js';

export interface CertificateFiles {
  certDir: string;
  /** Default `tls.crt`. */
  certName?: string;
  /** Default `tls.key`. */
  keyName?: string;
}

/** Who reads the certificate, and how to get one: the first words and the end of the error when it is missing. */
export interface CertificateOwner {
  /** 'webhook server', 'metrics server' */
  server: string;
  hint: string;
}

export class CertificateWatcher {
  private current: CertificatePair | undefined;
  private watcher: FSWatcher | undefined;
  private poll: NodeJS.Timeout | undefined;
  private readonly certDir: string;
  private readonly certPath: string;
  private readonly keyPath: string;

  constructor(
    files: CertificateFiles,
    private readonly owner: CertificateOwner,
    private readonly onChange: (pair: CertificatePair) => void,
    private readonly onError: (error: Error) => void,
    private readonly pollMs = 10_000,
  ) {
    this.certDir = files.certDir;
    this.certPath = join(files.certDir, files.certName ?? 'tls.crt');
    this.keyPath = join(files.certDir, files.keyName ?? 'tls.key');
  }

  /** Reads the pair once (throws a helpful error when it is missing or invalid), then watches. */
  async start(): Promise<CertificatePair> {
    const pair = await this.read().catch((error: NodeJS.ErrnoException) => {
      throw new Error(
        `${this.owner.server}: cannot load its serving certificate from ${this.certPath} and ${this.keyPath}: ` +
          `${error.message}. ${this.owner.hint}`,
        { cause: error },
      );
    });
    this.current = pair;
    this.watcher = watch(this.certDir, () => void this.reload());
    this.watcher.on('error', (error) => this.onError(error));
    this.poll = setInterval(() => void this.reload(), this.pollMs);
    this.poll.unref();
    return pair;
  }

  stop(): void {
    this.watcher?.close();
    clearInterval(this.poll);
  }

  /** Re-reads the pair; calls `onChange` when it changed and is valid. */
  async reload(): Promise<void> {
    let pair: CertificatePair;
    try {
      pair = await this.read();
    } catch {
      return;
    }
    if (this.current && pair.cert === this.current.cert && pair.key === this.current.key) return;
    this.current = pair;
    this.onChange(pair);
  }

  private async read(): Promise<CertificatePair> {
    const [cert, key] = await Promise.all([readFile(this.certPath, 'utf8'), readFile(this.keyPath, 'utf8')]);
    secureContextOf({ cert, key });
    return { cert, key };
  }
}
