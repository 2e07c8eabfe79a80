import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { createApp, requestIdHeader, requestLog } from '../src/http.ts';
import { createLogger } from '../src/logger.ts';

describe('requestLog', () => {
  const lines: Array<Record<string, unknown>> = [];
  let server: Server;
  let url: string;

  before(async () => {
    const logger = createLogger({
      level: 'info',
      format: 'json',
      write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    const app = createApp();
    app.use(requestLog(logger));
    app.get('/health', (_req, res) => void res.send('ok'));
    app.get('/share/:token', (_req, res) => void res.status(404).send('no'));
    app.post('/graphql', express.json(), (_req, res) => void res.json({ data: {} }));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const logged = async (count: number) => {
    for (let i = 0; i < 100 && lines.length < count; i += 1) await sleep(10);
    return lines.splice(0);
  };

  it('when a request is answered, then one line says what it was, how it ended and its id', async () => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [requestIdHeader]: 'trace-7' },
      body: JSON.stringify({ query: '{ files { totalCount } }', operationName: 'Count' }),
    });
    assert.equal(response.status, 200);
    const [line, ...more] = await logged(1);
    assert.deepEqual(more, []);
    assert.equal(line?.msg, 'request');
    assert.equal(line?.requestId, 'trace-7');
    assert.equal(line?.method, 'POST');
    assert.equal(line?.path, '/graphql');
    assert.equal(line?.status, 200);
    assert.equal(line?.operation, 'Count');
    assert.equal(typeof line?.ms, 'number');
  });

  it('when a request has no id, then its line carries the one the service made and answered with', async () => {
    const response = await fetch(`${url}/share/secret-token-123`);
    const [line] = await logged(1);
    assert.equal(line?.requestId, response.headers.get(requestIdHeader));
    // A share link's token opens the file: it stays out of the logs.
    assert.equal(line?.path, '/share/…');
    assert.equal(line?.status, 404);
  });

  it('when a probe asks /health, then nothing is logged', async () => {
    assert.equal((await fetch(`${url}/health`)).status, 200);
    // The line of a logged request comes as its answer ends: long before this.
    await sleep(100);
    assert.deepEqual(lines, []);
  });
});
