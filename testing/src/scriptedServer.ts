import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * An HTTP server on 127.0.0.1 that answers with whatever `handler` is set to
 * now: one server per test file, a different behaviour per test.
 */
export class ScriptedServer {
  handler: Handler = (_req, res) => void res.writeHead(500).end('no handler set');
  readonly #http: Server;
  #url = '';

  private constructor() {
    this.#http = createServer((req, res) => this.handler(req, res));
  }

  static async start(handler?: Handler): Promise<ScriptedServer> {
    const server = new ScriptedServer();
    if (handler) server.handler = handler;
    await new Promise<void>((resolve) => server.#http.listen(0, '127.0.0.1', resolve));
    server.#url = `http://127.0.0.1:${(server.#http.address() as AddressInfo).port}`;
    return server;
  }

  /** http://127.0.0.1:port, without a trailing slash. */
  get url(): string {
    return this.#url;
  }

  close(): Promise<void> {
    this.#http.closeAllConnections();
    return new Promise((resolve) => this.#http.close(() => resolve()));
  }
}
