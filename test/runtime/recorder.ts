/**
 * Test helpers for informers: a handler that records every event it gets, and a poll that waits
 * until a condition holds (watch deliveries are asynchronous).
 */
import type { KubeObject } from '../../src/runtime/index.js';
import type { EventHandler } from '../../src/runtime/cache/index.js';

export interface RecordedEvent {
  type: 'add' | 'initial-add' | 'update' | 'delete';
  name: string;
  resourceVersion?: string;
}

export function recordingHandler(): {
  handler: EventHandler;
  events: RecordedEvent[];
  of(type: RecordedEvent['type']): string[];
} {
  const events: RecordedEvent[] = [];
  const record = (type: RecordedEvent['type'], object: KubeObject) =>
    events.push({ type, name: object.metadata?.name ?? '', resourceVersion: object.metadata?.resourceVersion });
  return {
    events,
    handler: {
      onAdd: (object, initial) => record(initial ? 'initial-add' : 'add', object),
      onUpdate: (_old, object) => record('update', object),
      onDelete: (object) => record('delete', object),
    },
    of: (type) => events.filter((e) => e.type === type).map((e) => e.name),
  };
}

export async function eventually(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
