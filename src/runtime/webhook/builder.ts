/**
 * Wiring webhooks into a manager, as controller-runtime's `ctrl.NewWebhookManagedBy`:
 *
 * ```ts
 * webhookFor(mgr, GuestbookKind).withDefaulter(new GuestbookDefaulter()).withValidator(new GuestbookValidator()).complete();
 * conversionFor(mgr, GuestbookKind).spoke(GuestbookV2Kind, guestbookV2Converter).complete();
 * ```
 *
 * The builders register their handlers on the manager's own webhook server (`mgr.webhookServer()`,
 * created and added to the manager on first use).
 */
import type { KubeObject, ObjectKind } from '../types.js';
import { defaultingHandler, validatingHandler } from './admission.js';
import type { WebhookServer } from './server.js';
import type { Defaulter, SpokeConverter, Validator } from './types.js';

/** What the builders need from a manager: the webhook server it owns. */
export interface WebhookHost {
  webhookServer(): WebhookServer;
}

export const CONVERSION_PATH = '/convert';

/**
 * `/mutate-webapp-example-com-v1-guestbook`: controller-runtime's path for a kind's webhook (the
 * core group is empty: `/mutate--v1-pod`, as kubebuilder scaffolds it).
 */
export function webhookPath(type: 'mutate' | 'validate', kind: ObjectKind): string {
  return `/${type}-${kind.group.replaceAll('.', '-')}-${kind.version}-${kind.kind.toLowerCase()}`;
}

export class WebhookBuilder<T extends KubeObject> {
  private defaulter: Defaulter<T> | undefined;
  private validator: Validator<T> | undefined;

  constructor(
    private readonly host: WebhookHost,
    private readonly kind: ObjectKind<T>,
  ) {}

  withDefaulter(defaulter: Defaulter<T>): this {
    this.defaulter = defaulter;
    return this;
  }

  withValidator(validator: Validator<T>): this {
    this.validator = validator;
    return this;
  }

  /** Registers the handlers on the manager's webhook server; returns it. */
  complete(): WebhookServer {
    if (!this.defaulter && !this.validator) {
      throw new Error(`webhookFor(${this.kind.kind}): add a defaulter or a validator before complete()`);
    }
    const server = this.host.webhookServer();
    if (this.defaulter) server.register(webhookPath('mutate', this.kind), defaultingHandler(this.defaulter));
    if (this.validator) server.register(webhookPath('validate', this.kind), validatingHandler(this.validator));
    return server;
  }
}

export function webhookFor<T extends KubeObject>(host: WebhookHost, kind: ObjectKind<T>): WebhookBuilder<T> {
  return new WebhookBuilder(host, kind);
}

export class ConversionBuilder<H extends KubeObject> {
  private readonly spokes: { kind: ObjectKind; converter: SpokeConverter<KubeObject, H> }[] = [];

  constructor(
    private readonly host: WebhookHost,
    private readonly hub: ObjectKind<H>,
  ) {}

  /** Converts `kind` (another version of the hub's kind) through `converter`. */
  spoke<S extends KubeObject>(kind: ObjectKind<S>, converter: SpokeConverter<NoInfer<S>, H>): this {
    this.spokes.push({ kind, converter: converter as unknown as SpokeConverter<KubeObject, H> });
    return this;
  }

  /** Registers the hub and its spokes on the manager's `/convert` endpoint; returns the server. */
  complete(): WebhookServer {
    const server = this.host.webhookServer();
    server.conversions.addHub(this.hub);
    for (const { kind, converter } of this.spokes) server.conversions.addSpoke(this.hub, kind, converter);
    if (!server.has(CONVERSION_PATH)) server.register(CONVERSION_PATH, server.conversions);
    return server;
  }
}

/** Conversion for the kind whose hub (storage) version is `hub`. */
export function conversionFor<H extends KubeObject>(host: WebhookHost, hub: ObjectKind<H>): ConversionBuilder<H> {
  return new ConversionBuilder(host, hub);
}
