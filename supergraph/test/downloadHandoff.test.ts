import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { handoffOfferHeader, handoffType, type Handoff } from '@filegraph/shared/handoff';
import { createLogger } from '@filegraph/shared/logger';
import { ScriptedServer, type Handler } from '@filegraph/testing/scriptedServer';
import { downloadProxy } from '../src/http/downloadProxy.ts';

/**
 * The gateway's side of the download hand-off (shared/handoff.ts) against a
 * files service and a storage server that misbehave on purpose: the cases a
 * real MinIO and replica produce only by bad luck (a file replaced between
 * check and fetch) or by network layout (MinIO not reachable from the
 * gateway). The normal path runs against real ones in scripts/test/stack.e2e.ts.
 */
describe('download hand-off at the gateway', () => {
  let files: ScriptedServer;
  let storage: ScriptedServer;
  let gateway: ScriptedServer;
  const served: string[] = [];

  /** The files service: hands off when offered, else streams "from files" itself. */
  const filesHandingOffTo = (url: () => string): Handler => {
    return (req, res) => {
      if (req.headers[handoffOfferHeader] !== '1') {
        served.push('files');
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end('from files');
      }
      served.push('handoff');
      const handoff: Handoff = {
        status: 206,
        headers: { 'content-type': 'text/plain', 'content-range': 'bytes 5-11/20', etag: '"v2"' },
        url: url(),
        fetchHeaders: { 'If-Match': '"v2"', Range: 'bytes=5-11' },
      };
      res.writeHead(200, { 'content-type': handoffType }).end(JSON.stringify(handoff));
    };
  };

  before(async () => {
    files = await ScriptedServer.start();
    storage = await ScriptedServer.start();
    const app = express();
    const logger = createLogger({ level: 'error', format: 'json', write: () => {} });
    const proxy = downloadProxy(
      () => `${files.url}/graphql`,
      logger,
      true,
      undefined,
      () => ({
        'x-filegraph-identity': 'signed-by-the-gateway',
      }),
    );
    app.get('/download/:id', proxy);
    gateway = await ScriptedServer.start(app);
  });

  after(() => Promise.all([gateway, files, storage].map((server) => server.close())));

  it('when the files service hands off, then the client gets its status and headers with the storage bytes', async () => {
    served.length = 0;
    files.handler = filesHandingOffTo(() => `${storage.url}/bucket/f?signed`);
    storage.handler = (req, res) => {
      assert.equal(req.url, '/bucket/f?signed');
      assert.equal(req.headers['if-match'], '"v2"');
      assert.equal(req.headers.range, 'bytes=5-11');
      res.writeHead(206, { 'content-length': '7' }).end('storage');
    };
    const response = await fetch(`${gateway.url}/download/abc`);
    assert.equal(response.status, 206);
    assert.equal(response.headers.get('content-range'), 'bytes 5-11/20');
    assert.equal(response.headers.get('etag'), '"v2"');
    assert.equal(await response.text(), 'storage');
    assert.deepEqual(served, ['handoff']);
  });

  it('when the file changes between check and fetch (412), then the gateway asks again and never mixes versions', async () => {
    served.length = 0;
    let fetches = 0;
    storage.handler = (_req, res) => {
      fetches += 1;
      if (fetches === 1) return void res.writeHead(412).end();
      res.writeHead(206, { 'content-length': '7' }).end('storage');
    };
    const response = await fetch(`${gateway.url}/download/abc`);
    assert.equal(await response.text(), 'storage');
    assert.equal(fetches, 2);
    assert.deepEqual(served, ['handoff', 'handoff']);
  });

  it('when it keeps changing, then the files service streams it itself', async () => {
    served.length = 0;
    storage.handler = (_req, res) => void res.writeHead(412).end();
    const response = await fetch(`${gateway.url}/download/abc`);
    assert.equal(await response.text(), 'from files');
    assert.deepEqual(served, ['handoff', 'handoff', 'handoff', 'files']);
  });

  it('when the gateway cannot reach the storage, then the files service streams the bytes', async () => {
    served.length = 0;
    files.handler = filesHandingOffTo(() => 'http://127.0.0.1:1/bucket/f');
    const response = await fetch(`${gateway.url}/download/abc`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'from files');
    assert.deepEqual(served, ['handoff', 'files']);
  });

  it('when the files service answers without a hand-off (an error, a disk store), then that answer passes through', async () => {
    files.handler = (_req, res) =>
      void res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[]}');
    const response = await fetch(`${gateway.url}/download/abc`);
    assert.equal(response.status, 404);
    assert.equal(await response.text(), '{"errors":[]}');
  });
});
