/**
 * The proxy's network: a loopback TCP listener that relays every client connection to the proxy's
 * TLS server, byte for byte, so that connections can be reset (`cutConnections`) or cut off from
 * everything (`partition`) below TLS and HTTP/2, where a real network fails. While partitioned in
 * `blackhole` mode no byte moves either way — not even an HTTP/2 PING's answer — and bytes sent
 * meanwhile wait in the sockets' buffers, as TCP would retransmit them after the heal.
 */
import net from 'node:net';

interface Relay {
  client: net.Socket;
  /** Connected to the TLS server once the network lets the connection through. */
  server?: net.Socket;
}

export class Network {
  private readonly relays = new Set<Relay>();
  private readonly listener: net.Server;
  private blackhole = false;
  private resetting = false;

  private constructor(private readonly targetPort: number) {
    this.listener = net.createServer((client) => this.accept(client));
  }

  /** Listens on 127.0.0.1 (an ephemeral port unless given) and relays to `targetPort`. */
  static async listen(targetPort: number, port = 0): Promise<Network> {
    const network = new Network(targetPort);
    await new Promise<void>((resolve, reject) => {
      network.listener.once('error', reject);
      network.listener.listen(port, '127.0.0.1', () => resolve());
    });
    return network;
  }

  get port(): number {
    return (this.listener.address() as net.AddressInfo).port;
  }

  get connections(): number {
    return this.relays.size;
  }

  private accept(client: net.Socket): void {
    client.setNoDelay(true);
    if (this.resetting) {
      client.resetAndDestroy();
      return;
    }
    const relay: Relay = { client };
    this.relays.add(relay);
    client.on('error', () => client.destroy());
    client.on('close', () => {
      this.relays.delete(relay);
      relay.server?.destroy();
    });
    client.pause();
    if (!this.blackhole) this.connect(relay);
  }

  private connect(relay: Relay): void {
    const server = net.connect(this.targetPort, '127.0.0.1');
    relay.server = server;
    server.setNoDelay(true);
    server.on('error', () => server.destroy());
    server.on('close', () => relay.client.destroy());
    forward(relay.client, server, () => this.blackhole);
    forward(server, relay.client, () => this.blackhole);
    relay.client.resume();
  }

  /** Resets every connection; returns how many there were. */
  cut(): number {
    const count = this.relays.size;
    for (const relay of [...this.relays]) {
      relay.client.resetAndDestroy();
      relay.server?.destroy();
    }
    this.relays.clear();
    return count;
  }

  /** Starts a partition; `heal()` ends it. */
  partition(mode: 'blackhole' | 'reset'): void {
    if (mode === 'reset') {
      this.resetting = true;
      this.cut();
      return;
    }
    this.blackhole = true;
    for (const relay of this.relays) {
      relay.client.pause();
      relay.server?.pause();
    }
  }

  heal(): void {
    this.resetting = false;
    if (!this.blackhole) return;
    this.blackhole = false;
    for (const relay of this.relays) {
      if (relay.server) {
        relay.client.resume();
        relay.server.resume();
      } else {
        this.connect(relay);
      }
    }
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }
}

/** Copies `from` to `to` with backpressure, holding the bytes while `held()` (a partition). */
function forward(from: net.Socket, to: net.Socket, held: () => boolean): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) from.pause();
  });
  to.on('drain', () => {
    if (!held()) from.resume();
  });
  from.on('end', () => to.end());
}
