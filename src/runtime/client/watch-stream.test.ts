import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MalformedWatchEventError, decodeWatchStream } from './watch-stream.js';

async function decode(chunks: Buffer[]): Promise<string[]> {
  const seen: string[] = [];
  for await (const event of decodeWatchStream(Readable.from(chunks), { idleTimeoutMs: 0, description: 'watch' })) {
    seen.push(`${event.type} ${JSON.stringify(event.object.metadata)}`);
  }
  return seen;
}

/** `text` cut into pieces of `size` bytes (so a multi-byte character can straddle two pieces). */
function bytesOf(text: string, size: number): Buffer[] {
  const all = Buffer.from(text, 'utf8');
  const pieces: Buffer[] = [];
  for (let i = 0; i < all.length; i += size) pieces.push(all.subarray(i, i + size));
  return pieces;
}

const line = (type: string, name: string) => `${JSON.stringify({ type, object: { metadata: { name } } })}\n`;

describe('decodeWatchStream', () => {
  it('decodes events whatever the chunking, multi-byte characters cut between chunks included', async () => {
    const text = line('ADDED', 'café-☕') + '\r\n\n' + line('MODIFIED', 'ü'.repeat(5000)) + line('DELETED', 'x');
    const expected = ['ADDED {"name":"café-☕"}', `MODIFIED {"name":"${'ü'.repeat(5000)}"}`, 'DELETED {"name":"x"}'];
    for (const size of [1, 2, 3, 7, 64, 4096, text.length * 2])
      expect(await decode(bytesOf(text, size))).toEqual(expected);
  });

  it('decodes a last event that has no newline, and a large event that comes in many chunks', async () => {
    const big = 'y'.repeat(1 << 20);
    const text = line('ADDED', big) + JSON.stringify({ type: 'BOOKMARK', object: { metadata: { name: 'end' } } });
    expect(await decode(bytesOf(text, 16 * 1024))).toEqual([`ADDED {"name":"${big}"}`, 'BOOKMARK {"name":"end"}']);
  });

  it('fails on a malformed line instead of dropping it', async () => {
    await expect(decode(bytesOf(line('ADDED', 'a') + '{"type":"ADD\n' + line('ADDED', 'b'), 5))).rejects.toThrow(
      MalformedWatchEventError,
    );
  });
});
