/**
 * Decodes a watch response: one JSON event per line. ERROR events become `ApiError`s (a 410
 * there means the resourceVersion was compacted), malformed lines are errors rather than being
 * dropped, and a stream that sends no bytes for `idleTimeoutMs` is destroyed as dead.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import type { KubeObject } from '../types.js';
import { ApiError, type StatusBody } from './errors.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  /** For BOOKMARK only `metadata.resourceVersion` is meaningful. */
  object: T;
}

/** Thrown when the stream sent nothing for longer than the idle timeout. */
export class WatchIdleTimeoutError extends Error {
  override readonly name = 'WatchIdleTimeoutError';
}

/** Thrown for a line that is not a JSON watch event. */
export class MalformedWatchEventError extends Error {
  override readonly name = 'MalformedWatchEventError';
}

const EVENT_TYPES = new Set<string>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

export async function* decodeWatchStream<T extends KubeObject>(
  res: Readable,
  options: { idleTimeoutMs: number; description: string; onIdleTimeout?: () => void },
): AsyncGenerator<WatchEvent<T>> {
  const decoder = new StringDecoder('utf8');
  // The line that has not ended yet, as the pieces it came in: each chunk's text is scanned once
  // and a line is joined once, so a large event that arrives in many chunks costs no more than
  // its size (re-scanning one growing string at every chunk made it quadratic).
  let partial: string[] = [];
  let idle: NodeJS.Timeout | undefined;
  const armIdleTimer = () => {
    if (options.idleTimeoutMs <= 0) return;
    clearTimeout(idle);
    idle = setTimeout(() => {
      options.onIdleTimeout?.();
      res.destroy(new WatchIdleTimeoutError(`${options.description}: no data for ${options.idleTimeoutMs} ms`));
    }, options.idleTimeoutMs);
  };
  armIdleTimer();
  try {
    for await (const chunk of res) {
      armIdleTimer();
      const text = decoder.write(chunk as Buffer);
      let start = 0;
      let newline: number;
      while ((newline = text.indexOf('\n', start)) >= 0) {
        let line = text.slice(start, newline);
        start = newline + 1;
        if (partial.length > 0) {
          partial.push(line);
          line = partial.join('');
          partial = [];
        }
        if (line.trim() !== '') yield parseEvent<T>(line, options.description);
      }
      if (start < text.length) partial.push(text.slice(start));
    }
    partial.push(decoder.end());
    const last = partial.join('');
    if (last.trim() !== '') yield parseEvent<T>(last, options.description);
  } finally {
    clearTimeout(idle);
    if (!res.destroyed) res.destroy();
  }
}

function parseEvent<T extends KubeObject>(line: string, description: string): WatchEvent<T> {
  let event: { type?: unknown; object?: unknown };
  try {
    event = JSON.parse(line) as typeof event;
  } catch (e) {
    throw new MalformedWatchEventError(`${description}: malformed watch event: ${line.slice(0, 200)}`, { cause: e });
  }
  if (
    typeof event?.type !== 'string' ||
    !EVENT_TYPES.has(event.type) ||
    typeof event.object !== 'object' ||
    event.object === null
  ) {
    throw new MalformedWatchEventError(`${description}: malformed watch event: ${line.slice(0, 200)}`);
  }
  if (event.type === 'ERROR') {
    const status = event.object as StatusBody;
    throw new ApiError(`${description}: watch`, status.code ?? 500, status);
  }
  return event as WatchEvent<T>;
}
