/**
 * An HTTP/2 answer the server cuts with RST_STREAM (CANCEL) before its end, as Go's server does
 * when a handler aborts: Node ends such a stream cleanly, so the transport must not read the part
 * that arrived as the whole answer. A local TLS server writes the HTTP/2 frames by hand (Node's own
 * server sends END_STREAM before a reset, which hides the case).
 */
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { Transport } from '../../src/runtime/client/transport.js';
import { decodeWatchStream } from '../../src/runtime/client/watch-stream.js';
import { testCertificates } from './transport-servers.js';

const HEADERS = 1;
const DATA = 0;
const RST_STREAM = 3;
const SETTINGS = 4;
const END_STREAM = 0x1;
const END_HEADERS = 0x4;
const CANCEL = 8;
/** HPACK static table entry 8: `:status: 200`. */
const STATUS_200 = Buffer.from([0x88]);

function frame(type: number, flags: number, stream: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(stream, 5);
  return Buffer.concat([header, payload]);
}

const rst = (stream: number, code: number) => {
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(code);
  return frame(RST_STREAM, 0, stream, payload);
};

/** How the server answers each request: the frames after the 200 response headers. */
type Answer = (stream: number) => Buffer[];

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A TLS server speaking raw HTTP/2 (ALPN h2): every request gets `:status: 200`, then `answer`. */
async function rawH2Server(answer: Answer): Promise<{ url: string; ca: string }> {
  const certificates = await testCertificates();
  const server = tls.createServer(
    { cert: certificates.serving.cert, key: certificates.serving.key, ALPNProtocols: ['h2'] },
    (socket) => {
      socket.on('error', () => {});
      socket.write(frame(SETTINGS, 0, 0, Buffer.alloc(0)));
      let buffered = Buffer.alloc(0);
      let offset = 24; // the client's connection preface
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (offset + 9 <= buffered.length) {
          const length = buffered.readUIntBE(offset, 3);
          if (offset + 9 + length > buffered.length) break;
          const stream = buffered.readUInt32BE(offset + 5) & 0x7fffffff;
          if (buffered[offset + 3] === HEADERS) {
            socket.write(frame(HEADERS, END_HEADERS, stream, STATUS_200));
            for (const next of answer(stream)) socket.write(next);
          }
          offset += 9 + length;
        }
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  cleanup.push(() => {
    for (const socket of sockets) socket.destroy();
  });
  const sockets = new Set<tls.TLSSocket>();
  server.on('secureConnection', (socket) => sockets.add(socket));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, ca: certificates.ca.cert };
}

function transportTo(server: { url: string; ca: string }): Transport {
  const transport = new Transport({ server: server.url, caData: server.ca }, { http2: true });
  cleanup.push(() => transport.close());
  return transport;
}

describe('an HTTP/2 answer reset by the server with CANCEL', () => {
  it('fails a request cut after part of its body, instead of reading the part as the answer', async () => {
    const transport = transportTo(
      await rawH2Server((stream) => [
        frame(DATA, 0, stream, Buffer.from('{"kind":"ConfigMap","data":')),
        rst(stream, CANCEL),
      ]),
    );
    await expect(transport.request({ method: 'POST', path: '/api/v1/namespaces/a/configmaps' })).rejects.toThrow(
      'stream reset by the server mid-answer (HTTP/2 code 8)',
    );
  });

  it('fails a request cut before any body, instead of answering "no content"', async () => {
    const transport = transportTo(await rawH2Server((stream) => [rst(stream, CANCEL)]));
    await expect(transport.request({ method: 'DELETE', path: '/api/v1/namespaces/a/configmaps/b' })).rejects.toThrow(
      'stream reset by the server mid-answer (HTTP/2 code 8)',
    );
  });

  it('reads a whole answer (END_STREAM) as before', async () => {
    const transport = transportTo(
      await rawH2Server((stream) => [frame(DATA, END_STREAM, stream, Buffer.from('{"kind":"ConfigMap"}'))]),
    );
    expect(await transport.request({ method: 'GET', path: '/api/v1/namespaces/a/configmaps/b' })).toEqual({
      kind: 'ConfigMap',
    });
  });

  it('ends a watch cleanly, with the events that arrived whole (the watcher resumes from their resourceVersion)', async () => {
    const event = `${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '7' } } })}\n`;
    const transport = transportTo(
      await rawH2Server((stream) => [frame(DATA, 0, stream, Buffer.from(event)), rst(stream, CANCEL)]),
    );
    const events = [];
    for await (const e of decodeWatchStream(await transport.stream({ method: 'GET', path: '/api/v1/configmaps' }), {
      idleTimeoutMs: 0,
      description: 'watch',
    }))
      events.push(e);
    expect(events.map((e) => e.object.metadata?.resourceVersion)).toEqual(['7']);
  });
});
