import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';

export type DnsAnswerer = (message: Buffer, transport: 'udp' | 'tcp') => Buffer | undefined;

// With port 0 the UDP port is picked first; the same TCP port may be taken, so try again.
const portAttempts = 20;

/**
 * A DNS server on 127.0.0.1 that answers on UDP and TCP on the same port,
 * as Consul's does; TCP messages carry the two-byte length prefix of RFC 1035
 * §4.2.2, several per connection.
 */
export class ConsulDns {
  #answer: DnsAnswerer;
  #udp: UdpSocket | undefined;
  #tcp: Server | undefined;
  #connections = new Set<Socket>();

  constructor(answer: DnsAnswerer) {
    this.#answer = answer;
  }

  /** Listens on `port` (0: a free one) for both transports; resolves with the port. */
  async listen(port: number): Promise<number> {
    for (let attempt = 1; ; attempt += 1) {
      const udp = await this.#bindUdp(port);
      const bound = udp.address().port;
      try {
        this.#tcp = await this.#listenTcp(bound);
        this.#udp = udp;
        return bound;
      } catch (error) {
        udp.close();
        const taken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (port !== 0 || !taken || attempt >= portAttempts) throw error;
      }
    }
  }

  async close(): Promise<void> {
    const udp = this.#udp;
    const tcp = this.#tcp;
    this.#udp = undefined;
    this.#tcp = undefined;
    for (const connection of this.#connections) connection.destroy();
    this.#connections.clear();
    await Promise.all([
      udp ? new Promise<void>((resolve) => udp.close(() => resolve())) : undefined,
      tcp ? new Promise<void>((resolve) => tcp.close(() => resolve())) : undefined,
    ]);
  }

  /** A query the answerer chokes on goes unanswered rather than crashing the test process. */
  #reply(message: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined {
    try {
      return this.#answer(message, transport);
    } catch {
      return undefined;
    }
  }

  async #bindUdp(port: number): Promise<UdpSocket> {
    const udp = createSocket('udp4');
    udp.on('message', (message, remote) => {
      const reply = this.#reply(message, 'udp');
      if (reply) udp.send(reply, remote.port, remote.address);
    });
    const listening = once(udp, 'listening');
    udp.bind(port, '127.0.0.1');
    try {
      await listening;
    } catch (error) {
      udp.close();
      throw error;
    }
    // Later errors (a reply to a vanished client) must not crash the test process.
    udp.on('error', () => undefined);
    return udp;
  }

  async #listenTcp(port: number): Promise<Server> {
    const server = createServer((connection) => this.#serveTcp(connection));
    const listening = once(server, 'listening');
    server.listen(port, '127.0.0.1');
    await listening;
    return server;
  }

  #serveTcp(connection: Socket): void {
    this.#connections.add(connection);
    connection.once('close', () => this.#connections.delete(connection));
    connection.on('error', () => connection.destroy());
    let pending = Buffer.alloc(0);
    connection.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        if (pending.length < 2 + length) break;
        const message = pending.subarray(2, 2 + length);
        pending = pending.subarray(2 + length);
        const reply = this.#reply(message, 'tcp');
        if (!reply) continue;
        const prefix = Buffer.alloc(2);
        prefix.writeUInt16BE(reply.length);
        connection.write(Buffer.concat([prefix, reply]));
      }
    });
  }
}
