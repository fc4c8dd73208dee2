/**
 * REST request observation: every request the transport sends is reported to the registered
 * observers (method, HTTP code or '<error>', host, latency), so the metrics server can export
 * `rest_client_requests_total` and `rest_client_request_duration_seconds` without the client
 * depending on prom-client.
 */

export interface RestRequestEvent {
  /** HTTP method: GET, POST, PUT, PATCH, DELETE. */
  method: string;
  /** HTTP status code as a string, or '<error>' when no answer arrived. */
  code: string;
  /** host:port of the apiserver. */
  host: string;
  /** Time to the whole answer (for watches: to the response headers, the start of the stream). */
  durationMs: number;
}

export type RestRequestObserver = (event: RestRequestEvent) => void;

const observers = new Set<RestRequestObserver>();

/** Calls `observer` after every REST request of every client; returns the unsubscribe function. */
export function observeRestRequests(observer: RestRequestObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

export function reportRestRequest(event: RestRequestEvent): void {
  for (const observer of observers) {
    try {
      observer(event);
    } catch {
      // an observer's failure must never fail the request it observes
    }
  }
}
