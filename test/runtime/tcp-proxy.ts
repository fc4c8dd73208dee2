/**
 * A loopback TCP proxy in front of a real apiserver, so a test can cut a client's connections
 * (a network partition) while other clients keep talking to the apiserver directly.
 */
import net from 'node:net';

export interface TcpProxy {
  /** https://127.0.0.1:<proxy port> */
  readonly url: string;
  /** Drops every open connection and refuses new ones. */
  cut(): Promise<void>;
  /** Stops forwarding bytes on the open connections without closing them (a dead peer); new connections work. */
  freeze(): void;
  /** Accepts connections again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  const pairs = new Set<[net.Socket, net.Socket]>();
  let server = listen();
  let proxyPort = 0;

  function listen(): net.Server {
    return net.createServer((client) => {
      const upstream = net.connect(Number(port), hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      const pair: [net.Socket, net.Socket] = [client, upstream];
      pairs.add(pair);
      client.on('close', () => {
        pairs.delete(pair);
        upstream.destroy();
      });
      upstream.on('close', () => client.destroy());
    });
  }
  const open = () => new Promise<void>((resolve) => server.listen(proxyPort, '127.0.0.1', resolve));
  const shut = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };

  await open();
  proxyPort = (server.address() as net.AddressInfo).port;
  return {
    url: `https://127.0.0.1:${proxyPort}`,
    cut: shut,
    freeze() {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
      pairs.clear();
    },
    async restore() {
      server = listen();
      await open();
    },
    close: shut,
  };
}
