/**
 * ConversionReview through the hub: every spoke version converts to and from the hub (the
 * storage version), so n versions need 2(n-1) functions, not n². An object is converted
 * spoke → hub → desired spoke; `metadata` is always carried over untouched (the apiserver
 * rejects a conversion that changes it), `apiVersion` and `kind` are set by the runtime.
 */
import { parseApiVersion } from '../kinds.js';
import type { KubeObject, ObjectKind } from '../types.js';
import { BadReviewError, type ReviewHandler } from './admission.js';
import type { ConversionReview, SpokeConverter } from './types.js';

interface KindConversion {
  hub: ObjectKind;
  spokes: Map<string, SpokeConverter<KubeObject, KubeObject>>;
}

/** Hubs and spokes of every kind the server converts; served on `/convert`. */
export class ConversionRegistry implements ReviewHandler {
  private readonly kinds = new Map<string, KindConversion>();

  /** Declares `hub` as the hub of its kind (idempotent; a second, different hub is an error). */
  addHub(hub: ObjectKind): void {
    const key = `${hub.group}/${hub.kind}`;
    const existing = this.kinds.get(key);
    if (existing && existing.hub.version !== hub.version) {
      throw new Error(
        `conversion: ${hub.kind}.${hub.group} already has hub ${existing.hub.version}, not ${hub.version}`,
      );
    }
    if (!existing) this.kinds.set(key, { hub, spokes: new Map() });
  }

  addSpoke<S extends KubeObject, H extends KubeObject>(
    hub: ObjectKind<H>,
    spoke: ObjectKind<S>,
    converter: SpokeConverter<NoInfer<S>, NoInfer<H>>,
  ): void {
    this.addHub(hub);
    if (spoke.group !== hub.group || spoke.kind !== hub.kind || spoke.version === hub.version) {
      throw new Error(
        `conversion: ${spoke.apiVersion} ${spoke.kind} is not a spoke of hub ${hub.apiVersion} ${hub.kind}`,
      );
    }
    this.kinds
      .get(`${hub.group}/${hub.kind}`)
      ?.spokes.set(spoke.version, converter as SpokeConverter<KubeObject, KubeObject>);
  }

  get size(): number {
    return this.kinds.size;
  }

  async handle(body: unknown): Promise<ConversionReview> {
    const reviewBody = body as Partial<ConversionReview> | null;
    const request = reviewBody?.request;
    if (reviewBody?.kind !== 'ConversionReview' || reviewBody.apiVersion !== 'apiextensions.k8s.io/v1' || !request) {
      throw new BadReviewError('expected an apiextensions.k8s.io/v1 ConversionReview with a request');
    }
    const convertedObjects: KubeObject[] = [];
    for (const object of request.objects ?? []) {
      try {
        convertedObjects.push(await this.convert(object, request.desiredAPIVersion));
      } catch (error) {
        const what = `${object.kind ?? '?'} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name ?? '?'}`;
        const message = `converting ${what} from ${object.apiVersion ?? '?'} to ${request.desiredAPIVersion}: ${error instanceof Error ? error.message : String(error)}`;
        return this.fail(body, 500, message);
      }
    }
    return conversionReview(request.uid, convertedObjects, { status: 'Success' });
  }

  fail(body: unknown, _code: number, message: string): ConversionReview {
    const uid = (body as ConversionReview | undefined)?.request?.uid ?? '';
    return conversionReview(uid, [], { status: 'Failure', message });
  }

  private async convert(object: KubeObject, desiredApiVersion: string): Promise<KubeObject> {
    if (object.apiVersion === desiredApiVersion) return object;
    const from = parseApiVersion(object.apiVersion ?? '');
    const to = parseApiVersion(desiredApiVersion);
    const entry = this.kinds.get(`${from.group}/${object.kind ?? ''}`);
    if (!entry) throw new Error(`no conversion registered for ${object.kind ?? '?'}.${from.group}`);
    if (to.group !== from.group) throw new Error(`cannot convert across groups (${from.group} → ${to.group})`);
    const hubVersion = entry.hub.version;
    const spokeOf = (version: string) => {
      const converter = entry.spokes.get(version);
      if (!converter) {
        throw new Error(
          `version ${version} is neither the hub (${hubVersion}) nor a registered spoke of ${entry.hub.kind}`,
        );
      }
      return converter;
    };
    const hub = from.version === hubVersion ? object : await spokeOf(from.version).convertTo(object);
    const converted = to.version === hubVersion ? hub : await spokeOf(to.version).convertFrom(hub);
    return { ...converted, apiVersion: desiredApiVersion, kind: object.kind, metadata: object.metadata };
  }
}

function conversionReview(
  uid: string,
  convertedObjects: KubeObject[],
  result: { status: 'Success' | 'Failure'; message?: string },
): ConversionReview {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'ConversionReview',
    response: { uid, convertedObjects, result },
  };
}
