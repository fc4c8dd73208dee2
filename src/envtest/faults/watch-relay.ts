/**
 * One watch stream passing through the proxy, relayed a whole event (one JSON line) at a time so
 * that it can be frozen between events, ended with a 410 `ERROR` event, or dropped.
 */
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { constants, type Http2ServerResponse } from 'node:http2';
import { errorEventLine, statusObject } from './status.js';
import type { SeenRequest } from './types.js';

export type ProxyResponse = ServerResponse | Http2ServerResponse;

/** Resets the client's stream: RST_STREAM on HTTP/2, the connection on HTTP/1.1. */
export function resetResponse(response: ProxyResponse): void {
  if ('stream' in response) response.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
  else response.socket?.destroy();
}

export class WatchRelay {
  /** Events (lines) passed on to the client. */
  events = 0;
  private frozen = false;
  /** The client's side is over: ended or reset by the proxy, or closed by the client. */
  private closed = false;
  private partial = '';

  constructor(
    readonly request: SeenRequest,
    private readonly upstreamRequest: ClientRequest,
    private readonly upstream: IncomingMessage,
    private readonly response: ProxyResponse,
    onEnd: (relay: WatchRelay) => void,
  ) {
    upstream.setEncoding('utf8');
    upstream.on('data', (chunk: string) => this.relay(chunk));
    upstream.on('end', () => this.end());
    upstream.on('error', () => this.drop('reset'));
    response.on('drain', () => upstream.resume());
    response.on('close', () => {
      this.closed = true;
      upstreamRequest.destroy();
      onEnd(this);
    });
  }

  get isFrozen(): boolean {
    return this.frozen;
  }

  private relay(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    if (this.frozen || this.closed) return;
    for (const line of lines) {
      if (line.trim() === '') continue;
      this.events++;
      if (!this.write(`${line}\n`)) this.upstream.pause();
    }
  }

  private write(text: string): boolean {
    return 'stream' in this.response ? this.response.write(text) : this.response.write(text);
  }

  /** From now on nothing reaches the client; the apiserver's events are read and lost. */
  freeze(): void {
    this.frozen = true;
    this.upstream.resume();
  }

  /** Ends the stream: `end` as the apiserver's timeout does, `reset` abruptly. */
  drop(mode: 'reset' | 'end'): void {
    if (this.closed) return;
    this.closed = true;
    this.upstreamRequest.destroy();
    if (mode === 'end') this.response.end();
    else resetResponse(this.response);
  }

  /** Ends the stream with the apiserver's 410 Gone `ERROR` event. */
  expire(): void {
    if (this.closed) return;
    this.closed = true;
    this.upstreamRequest.destroy();
    this.response.end(errorEventLine(statusObject(410, this.request)));
  }

  private end(): void {
    // A frozen stream stays open when the apiserver ends its side: the client must notice by itself.
    if (this.closed || this.frozen) return;
    this.closed = true;
    this.response.end();
  }
}
