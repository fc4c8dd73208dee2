/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's rules:
 * - a candidate takes the Lease when it is absent, released (no holder), or not renewed for
 *   `leaseDurationMs` as observed on the candidate's own clock (no trust in remote clocks);
 * - the leader renews every `retryPeriodMs`; if it cannot renew within `renewDeadlineMs`, or
 *   sees another holder, it has lost leadership and must stop work at once;
 * - on a clean shutdown with `releaseOnCancel`, the leader clears the holder so a successor
 *   takes over without waiting for the lease to expire.
 * Writes use the Lease's resourceVersion, so two candidates never both win a round.
 */
import type { V1Lease, V1LeaseSpec } from '@kubernetes/client-node';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isAlreadyExists, isConflict } from '../client/index.js';
import { Lease } from '../kinds.js';
import type { Logger } from '../log.js';
import { leaderElectionStatus } from '../metrics/index.js';
import { sleep } from '../sleep.js';
import type { Client } from '../types.js';

export interface LeaderElectionOptions {
  /** Lease name, unique per operator (e.g. '3f1c2a9b.example.com'). */
  id: string;
  /** Namespace of the Lease. Default: the manager's namespace, else the pod's, else 'default'. */
  namespace?: string;
  /** This candidate's identity. Default: `<hostname>_<uuid>`. */
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Clear the holder when the manager stops cleanly, so a successor takes over at once. */
  releaseOnCancel?: boolean;
}

/** Leadership ended without a shutdown being asked for. */
export class LeaderElectionLostError extends Error {
  constructor(id: string, reason: string) {
    super(`leader election lost for lease ${id}: ${reason}`);
    this.name = 'LeaderElectionLostError';
  }
}

/** metav1.MicroTime: RFC 3339 with exactly six fractional digits. */
export function microTime(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class LeaseElector {
  readonly identity: string;
  readonly namespace: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observed: { spec: string; at: number } | undefined;
  private lease: V1Lease | undefined;
  private leading = false;

  constructor(
    private readonly client: Client,
    private readonly options: LeaderElectionOptions & { namespace: string },
    private readonly log: Logger,
  ) {
    this.identity = options.identity ?? `${hostname()}_${randomUUID()}`;
    this.namespace = options.namespace;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (!(
      this.leaseDurationMs > this.renewDeadlineMs &&
      this.renewDeadlineMs > this.retryPeriodMs &&
      this.retryPeriodMs > 0
    )) {
      throw new Error(
        `leader election: need leaseDurationMs (${this.leaseDurationMs}) > renewDeadlineMs (${this.renewDeadlineMs}) > retryPeriodMs (${this.retryPeriodMs}) > 0`,
      );
    }
    leaderElectionStatus.set({ name: options.id }, 0);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Tries every `retryPeriodMs` (with jitter) until this candidate leads; false if `signal` aborts first. */
  async acquire(signal: AbortSignal): Promise<boolean> {
    this.log.info(
      { lease: `${this.namespace}/${this.options.id}`, identity: this.identity },
      'attempting to acquire leader lease',
    );
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew().catch((err) => this.warn(err))) {
        this.setLeading(true);
        this.log.info(
          { lease: `${this.namespace}/${this.options.id}`, identity: this.identity },
          'successfully acquired lease',
        );
        return true;
      }
      await sleep(this.retryPeriodMs * (1 + Math.random() * 1.2), signal);
    }
    return false;
  }

  /**
   * Renews until `signal` aborts (resolves; releases the lease if `releaseOnCancel`) or
   * leadership is lost (rejects with `LeaderElectionLostError`).
   */
  async hold(signal: AbortSignal): Promise<void> {
    let lastRenew = Date.now();
    while (!signal.aborted) {
      await sleep(this.retryPeriodMs, signal);
      if (signal.aborted) break;
      const remaining = Math.max(1, this.renewDeadlineMs - (Date.now() - lastRenew));
      const outcome = await within(
        this.tryAcquireOrRenew().catch((err) => this.warn(err)),
        remaining,
      );
      if (outcome === true) {
        lastRenew = Date.now();
        continue;
      }
      const holder = this.lease?.spec?.holderIdentity;
      if (holder && holder !== this.identity) return this.lose(`lease is now held by ${holder}`);
      if (Date.now() - lastRenew >= this.renewDeadlineMs)
        return this.lose(`failed to renew within ${this.renewDeadlineMs} ms`);
    }
  }

  /** Gives the lease up (holder cleared, duration 1 s) if this candidate holds it. */
  async release(): Promise<void> {
    if (!this.leading || !this.lease) return;
    this.setLeading(false);
    const now = microTime();
    const spec: V1LeaseSpec = { leaseDurationSeconds: 1, leaseTransitions: this.lease.spec?.leaseTransitions ?? 0 };
    Object.assign(spec, { acquireTime: now, renewTime: now });
    try {
      await this.client.update(Lease, { ...this.lease, spec });
      this.log.info({ lease: `${this.namespace}/${this.options.id}` }, 'released leader lease');
    } catch (err) {
      this.log.warn({ err }, 'failed to release leader lease');
    }
  }

  private lose(reason: string): never {
    this.setLeading(false);
    throw new LeaderElectionLostError(this.options.id, reason);
  }

  private setLeading(leading: boolean): void {
    this.leading = leading;
    leaderElectionStatus.set({ name: this.options.id }, leading ? 1 : 0);
  }

  private warn(err: unknown): false {
    if (!isConflict(err) && !isAlreadyExists(err)) this.log.warn({ err }, 'error retrieving or updating leader lease');
    return false;
  }

  private record(previous: V1LeaseSpec | undefined): V1LeaseSpec {
    const now = microTime();
    const mine = previous?.holderIdentity === this.identity;
    const spec: V1LeaseSpec = {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      leaseTransitions: previous ? (previous.leaseTransitions ?? 0) + (mine ? 0 : 1) : 0,
    };
    return Object.assign(spec, { acquireTime: mine ? previous?.acquireTime : now, renewTime: now });
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const key = { namespace: this.namespace, name: this.options.id };
    const current = await this.client.get(Lease, key);
    if (!current) {
      this.lease = await this.client.create(Lease, { metadata: { ...key }, spec: this.record(undefined) });
      this.observe(this.lease);
      return true;
    }
    this.lease = current;
    this.observe(current);
    const spec = current.spec ?? {};
    const holder = spec.holderIdentity;
    const durationMs = (spec.leaseDurationSeconds ?? 0) * 1000;
    if (holder && holder !== this.identity && this.observed!.at + durationMs > Date.now()) return false;
    this.lease = await this.client.update(Lease, { ...current, spec: this.record(spec) });
    this.observe(this.lease);
    return true;
  }

  private observe(lease: V1Lease): void {
    const spec = JSON.stringify(lease.spec ?? {});
    if (this.observed?.spec !== spec) this.observed = { spec, at: Date.now() };
  }
}
