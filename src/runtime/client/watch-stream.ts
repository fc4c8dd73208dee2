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
  let pending = '';
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
      pending += decoder.write(chunk as Buffer);
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (line !== '') yield parseEvent<T>(line, options.description);
      }
    }
    pending += decoder.end();
    if (pending.trim() !== '') yield parseEvent<T>(pending.trim(), options.description);
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
