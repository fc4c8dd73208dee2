/**
 * The state behind a proxy's `Faults` handle: the rules in force, the open watch streams, the
 * partitions and the log of requests seen. The request handler (`proxy.ts`) asks it what to do
 * with each request.
 */
import { countKey, matches } from './request-info.js';
import { RuleSet, type Rule } from './rules.js';
import type { Network } from './network.js';
import type {
  DelayOptions,
  FailOptions,
  FaultHandle,
  Faults,
  PartitionHandle,
  PartitionOptions,
  RequestInfo,
  RequestMatch,
  SeenRequest,
  Selection,
} from './types.js';
import type { WatchRelay } from './watch-relay.js';

interface ActivePartition {
  heal(): void;
}

function checkStatus(status: number): void {
  if (!(Number.isInteger(status) && status >= 400 && status <= 599))
    throw new RangeError(`faults.fail: status must be an HTTP error status (400–599), got ${status}`);
}

export class FaultController implements Faults {
  private ruleNumber = 0;
  private readonly nextSeed = () => (Math.imul(this.seed, 0x9e3779b1) + ++this.ruleNumber) >>> 0;
  private readonly failures = new RuleSet<FailOptions>(this.nextSeed);
  private readonly delays = new RuleSet<DelayOptions>(this.nextSeed);
  private readonly freezes = new RuleSet<RequestMatch & Selection>(this.nextSeed);
  private readonly partitions = new Set<ActivePartition>();
  private readonly watches = new Set<WatchRelay>();
  private log: SeenRequest[] = [];

  constructor(
    private readonly seed: number,
    private readonly network: Network,
  ) {}

  // ——— asked by the request handler ———

  /** Records a request as it arrives. */
  arrived(request: RequestInfo): SeenRequest {
    const seen: SeenRequest = { ...request, at: Date.now() };
    this.log.push(seen);
    return seen;
  }

  /** The latency to add to a request: the sum of every delay rule that takes it. */
  delayFor(request: SeenRequest): number {
    const rules = this.delays.all(request);
    const ms = rules.reduce((sum, rule) => sum + rule.options.ms, 0);
    if (ms > 0) request.fault = `delay ${ms}ms`;
    return ms;
  }

  failureFor(request: SeenRequest): FailOptions | undefined {
    const rule = this.failures.first(request);
    if (rule) request.fault = rule.description;
    return rule?.options;
  }

  /** A new watch stream: frozen at once when a freeze rule takes it. */
  watchOpened(relay: WatchRelay): void {
    this.watches.add(relay);
    if (this.freezes.first(relay.request)) this.freeze(relay);
  }

  watchClosed(relay: WatchRelay): void {
    this.watches.delete(relay);
  }

  private freeze(relay: WatchRelay): void {
    relay.request.fault = 'freeze';
    relay.freeze();
  }

  // ——— the Faults handle ———

  fail(options: FailOptions): FaultHandle {
    checkStatus(options.status);
    return this.failures.add(options, `fail ${options.status}`);
  }

  delay(options: DelayOptions): FaultHandle {
    if (!(options.ms >= 0)) throw new RangeError(`faults.delay: ms must be ≥ 0, got ${options.ms}`);
    return this.delays.add(options, `delay ${options.ms}ms`);
  }

  freezeWatches(match: RequestMatch & Selection = {}): FaultHandle {
    const rule: Rule<RequestMatch & Selection> = this.freezes.add(match, 'freeze');
    for (const relay of this.watches) if (!relay.isFrozen && rule.take(relay.request)) this.freeze(relay);
    return rule;
  }

  private openWatches(match: RequestMatch | undefined): WatchRelay[] {
    return [...this.watches].filter((relay) => matches(match, relay.request));
  }

  dropWatches(match?: RequestMatch, options: { mode?: 'reset' | 'end' } = {}): number {
    const dropped = this.openWatches(match);
    for (const relay of dropped) {
      relay.request.fault = `drop (${options.mode ?? 'reset'})`;
      relay.drop(options.mode ?? 'reset');
    }
    return dropped.length;
  }

  expireWatches(match?: RequestMatch): number {
    const expired = this.openWatches(match);
    for (const relay of expired) {
      relay.request.fault = 'expire 410';
      relay.expire();
    }
    return expired.length;
  }

  cutConnections(): number {
    return this.network.cut();
  }

  partition(options: PartitionOptions = {}): PartitionHandle {
    const mode = options.mode ?? 'blackhole';
    if (options.durationMs !== undefined && !(options.durationMs > 0))
      throw new RangeError(`faults.partition: durationMs must be > 0, got ${options.durationMs}`);
    const hits = this.network.connections;
    this.network.partition(mode);
    let resolveHealed!: () => void;
    const healed = new Promise<void>((resolve) => (resolveHealed = resolve));
    const active: ActivePartition = {
      heal: () => {
        if (!this.partitions.delete(active)) return;
        clearTimeout(timer);
        if (this.partitions.size === 0) this.network.heal();
        resolveHealed();
      },
    };
    this.partitions.add(active);
    const timer = options.durationMs === undefined ? undefined : setTimeout(active.heal, options.durationMs);
    timer?.unref();
    return { hits, healed, remove: active.heal };
  }

  requests(match?: RequestMatch): SeenRequest[] {
    return this.log.filter((request) => matches(match, request));
  }

  count(match?: RequestMatch): number {
    return this.requests(match).length;
  }

  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const request of this.log) counts[countKey(request)] = (counts[countKey(request)] ?? 0) + 1;
    return counts;
  }

  reset(): void {
    this.failures.clear();
    this.delays.clear();
    this.freezes.clear();
    for (const partition of [...this.partitions]) partition.heal();
    for (const relay of [...this.watches]) if (relay.isFrozen) relay.drop('end');
    this.log = [];
    this.ruleNumber = 0;
  }
}
