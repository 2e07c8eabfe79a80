import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { request } from '../src/httpClient.ts';
import { keptAlive } from '../src/nodeHttp.ts';

/** The services' requests to each other (readiness, schemas, peer changes, subgraph operations). */
describe('request', () => {
  let handler: (req: IncomingMessage, res: ServerResponse) => void;
  const server = createServer((req, res) => handler(req, res));
  let url: string;

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('when a body is posted, then the server gets it whole and the answer comes back as text', async () => {
    let seen: { method?: string; type?: string; length?: string; body?: string } = {};
    handler = (req, res) =>
      void text(req).then((body) => {
        seen = {
          method: req.method,
          type: req.headers['content-type'],
          length: req.headers['content-length'],
          body,
        };
        res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":"é"}');
      });
    const answer = await request(`${url}/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"ü.txt"}',
    });
    const { headers, ...rest } = answer;
    assert.deepEqual(rest, { status: 201, ok: true, text: '{"ok":"é"}' });
    assert.equal(headers['content-type'], 'application/json');
    assert.deepEqual(seen, {
      method: 'POST',
      type: 'application/json',
      length: String(Buffer.byteLength('{"name":"ü.txt"}')),
      body: '{"name":"ü.txt"}',
    });
  });

  it('when the body is a stream, then it is sent as it comes', async () => {
    handler = (req, res) => void text(req).then((body) => res.end(`got ${body}`));
    const answer = await request(url, { method: 'POST', body: Readable.from(['a', 'b', 'c']) });
    assert.equal(answer.text, 'got abc');
  });

  it('when the server answers an error status, then the answer says so and keeps its body', async () => {
    handler = (_req, res) => void res.writeHead(503).end('{"status":"starting"}');
    const { headers: _headers, ...answer } = await request(`${url}/ready`);
    assert.deepEqual(answer, { status: 503, ok: false, text: '{"status":"starting"}' });
  });

  it('when the server does not answer in time, then the request fails with a TimeoutError, as fetch does', async () => {
    handler = () => {};
    await assert.rejects(request(`${url}/ready`, { signal: AbortSignal.timeout(100) }), {
      name: 'TimeoutError',
    });
  });

  it('when nothing listens, then the error carries the system code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(request(`http://127.0.0.1:${port}/`), { code: 'ECONNREFUSED' });
  });

  it('when a kept-alive connection has been idle 4 s, then the client closes it, before a router in front would (HAProxy: 10 s)', async (t) => {
    // The server would keep it for a minute: what closes it is the client's agent.
    server.keepAliveTimeout = 60_000;
    const agent = new Agent(keptAlive);
    t.after(() => agent.destroy());
    let connection: Socket | undefined;
    const onConnection = (socket: Socket) => {
      connection = socket;
    };
    server.on('connection', onConnection);
    t.after(() => server.off('connection', onConnection));
    handler = (_req, res) => void res.end('ok');
    assert.equal((await request(url, { agent })).text, 'ok');
    assert.equal((await request(url, { agent })).text, 'ok', 'the connection is reused at once');
    const opened = connection;
    assert.ok(opened);
    const started = performance.now();
    await once(opened, 'close');
    const idle = performance.now() - started;
    assert.ok(idle >= 3_500 && idle < 6_000, `closed after ${Math.round(idle)} ms idle`);
  });
});
