/**
 * Rules in force on a proxy: each matches requests (`RequestMatch`), takes some of them
 * (`Selection`: a count, or a rate drawn from its own seeded PRNG, so that adding a rule never
 * changes which requests another one takes) and is lifted by its handle or by `reset()`.
 */
import { matches } from './request-info.js';
import type { FaultHandle, RequestInfo, RequestMatch, Selection } from './types.js';

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkSelection(selection: Selection, what: string): void {
  if (selection.times !== undefined && !(Number.isInteger(selection.times) && selection.times > 0))
    throw new RangeError(`${what}: times must be a positive integer, got ${selection.times}`);
  if (selection.rate !== undefined && !(selection.rate >= 0 && selection.rate <= 1))
    throw new RangeError(`${what}: rate must be between 0 and 1, got ${selection.rate}`);
}

export class Rule<T extends RequestMatch & Selection> implements FaultHandle {
  hits = 0;
  private readonly random: () => number;

  constructor(
    readonly options: T,
    readonly description: string,
    seed: number,
    private readonly onRemove: (rule: Rule<T>) => void,
  ) {
    checkSelection(options, description);
    this.random = seededRandom(seed);
  }

  /** Whether the rule takes this request (counting it when it does). */
  take(request: RequestInfo): boolean {
    if (this.options.times !== undefined && this.hits >= this.options.times) return false;
    if (!matches(this.options, request)) return false;
    if (this.options.rate !== undefined && this.random() >= this.options.rate) return false;
    this.hits++;
    return true;
  }

  remove(): void {
    this.onRemove(this);
  }
}

/** The rules of one kind, in the order they were added. */
export class RuleSet<T extends RequestMatch & Selection> {
  private rules: Rule<T>[] = [];

  constructor(private readonly nextSeed: () => number) {}

  add(options: T, description: string): Rule<T> {
    const rule = new Rule(options, description, this.nextSeed(), (removed) => {
      this.rules = this.rules.filter((r) => r !== removed);
    });
    this.rules.push(rule);
    return rule;
  }

  /** The first rule that takes the request. */
  first(request: RequestInfo): Rule<T> | undefined {
    return this.rules.find((rule) => rule.take(request));
  }

  /** Every rule that takes the request. */
  all(request: RequestInfo): Rule<T>[] {
    return this.rules.filter((rule) => rule.take(request));
  }

  get size(): number {
    return this.rules.length;
  }

  clear(): void {
    this.rules = [];
  }
}
