/**
 * What a list or watch failure means for the person running the operator, in one line: a 404 for
 * the kind's resource is a CRD that is not installed, a 403 is RBAC the operator lacks (with the
 * `+kubebuilder:rbac` marker that grants it). Other failures have no explanation (they are logged
 * with the error). `ReportThrottle` keeps an unchanged explanation to one line per interval, so a
 * watcher waiting for a CRD says so once and then quietly, not once per retry.
 */
import { ApiError } from '../client/index.js';
import type { ObjectKind } from '../types.js';

/** The resource of a kind as `<plural>.<group>` (just `<plural>` for the core group), as kubectl and CRD names spell it. */
function resourceName(kind: ObjectKind): string {
  return kind.group ? `${kind.plural}.${kind.group}` : kind.plural;
}

/** The one-line explanation of a failed `verb` (list or watch) of `kind`, or undefined when there is none. */
export function explainWatchFailure(
  kind: ObjectKind,
  verb: 'list' | 'watch',
  error: unknown,
  namespace?: string,
): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const resource = resourceName(kind);
  const what = `${kind.kind} (${kind.apiVersion})`;
  if (error.status === 404 && error.reason === 'NotFound' && !error.details?.name) {
    const crd = kind.group ? `the CRD ${resource}` : `the resource ${resource}`;
    return (
      `the apiserver has no ${resource} for ${what}: ${crd} is not installed; ` +
      'install it with `npm run install-crds` / `make install` (or run the operator with `npx kubeforge run`)'
    );
  }
  if (error.status === 403) {
    const scope = namespace ? ` in namespace ${namespace}` : ' cluster-wide';
    const group = kind.group || 'core';
    return (
      `forbidden to ${verb} ${resource} (${what})${scope}: the operator's RBAC does not allow it; add ` +
      `// +kubebuilder:rbac:groups=${group},resources=${kind.plural},verbs=get;list;watch ` +
      'to a controller, then `npm run manifests` and apply config/rbac (or `make deploy`)'
    );
  }
  return undefined;
}

/** Says whether a message should be reported now: a new message at once, the same one again only after `intervalMs`. */
export class ReportThrottle {
  private last?: { message: string; at: number };

  constructor(private readonly intervalMs = 60_000) {}

  shouldReport(message: string, now = Date.now()): boolean {
    if (this.last?.message === message && now - this.last.at < this.intervalMs) return false;
    this.last = { message, at: now };
    return true;
  }

  /** Forget the last message (the failure is over: a later one is new again). */
  reset(): void {
    this.last = undefined;
  }
}
