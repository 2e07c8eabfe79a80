import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Consul from 'consul';
import { freePort } from '@filegraph/processes/ports';
import { startProcess, type ManagedProcess } from '@filegraph/processes/processes';
import { requireTool } from '@filegraph/processes/tools';
import { startConsulDouble, type ConsulDouble } from '../../src/consul/ConsulDouble.ts';
import { repoRoot } from './loadCompose.ts';

interface Seen {
  readonly url: string;
  readonly operation: string | undefined;
}

interface Replica {
  readonly name: string;
  readonly server: Server;
  readonly port: number;
  /** Every request other than HAProxy's health checks, in order. */
  readonly seen: Seen[];
  /** Whether it answers 503 (a replica that is draining, say) from now on. */
  failing: boolean;
  /** Whether it takes requests and never answers (a frozen process) from now on. */
  frozen: boolean;
}

/** A stand-in subgraph instance: /health answers 200, everything else is recorded. */
async function startReplica(name: string): Promise<Replica> {
  const replica: Replica = {
    name,
    server: createServer(),
    port: 0,
    seen: [],
    failing: false,
    frozen: false,
  };
  replica.server.on('request', (request, response) => {
    if (replica.frozen) return;
    if (request.url === '/health') return void response.end('{"status":"ok"}');
    const operation = request.headers['x-filegraph-operation'];
    replica.seen.push({ url: request.url ?? '', operation: operation?.toString() });
    request.resume();
    request.on('end', () => {
      response.writeHead(replica.failing ? 503 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ replica: name, url: request.url }));
    });
  });
  replica.server.listen(0, '127.0.0.1');
  await once(replica.server, 'listening');
  return Object.assign(replica, { port: (replica.server.address() as AddressInfo).port });
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`not within ${timeoutMs} ms: ${what}`);
}

/**
 * haproxy/haproxy.cfg as it is, run natively with the Consul double's DNS in
 * place of Consul's: the routing, health checks and retry rules, for real.
 */
describe('HAProxy with haproxy/haproxy.cfg, replicas found through Consul DNS', () => {
  let double: ConsulDouble;
  let consul: Consul;
  let haproxy: ManagedProcess;
  let router: string;
  let stats: string;
  const files: Replica[] = [];
  let health: Replica;
  let accounts: Replica;

  function register(service: string, replica: Replica): Promise<unknown> {
    return consul.agent.service.register({
      name: service,
      id: replica.name,
      address: '127.0.0.1',
      port: replica.port,
      tags: ['graphql-subgraph'],
      check: {
        name: 'liveness',
        http: `http://127.0.0.1:${replica.port}/health`,
        interval: '200ms',
        timeout: '1s',
      },
    });
  }

  function post(path: string, headers: Record<string, string>): Promise<Response> {
    return fetch(`${router}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{"query":"{ files { totalCount } }"}',
      signal: AbortSignal.timeout(5_000),
    });
  }

  /** The ports of the files servers HAProxy's stats show UP. */
  async function upServers(): Promise<number[]> {
    const [header = '', ...lines] = (await (await fetch(`${stats}/stats;csv`)).text()).split('\n');
    const columns = header.replace(/^# /, '').split(',');
    const [status, addr] = [columns.indexOf('status'), columns.indexOf('addr')];
    return lines
      .map((line) => line.split(','))
      .filter((row) => row[0] === 'files' && row[status] === 'UP')
      .map((row) => Number(row[addr]?.split(':')[1]));
  }

  function forget(): void {
    for (const replica of [...files, health, accounts]) replica.seen.length = 0;
  }

  before(async () => {
    double = await startConsulDouble({ acl: 'off' });
    consul = new Consul({ host: '127.0.0.1', port: double.httpPort });
    // Three at one address, on three ports: HAProxy must route to each (allow-dup-ip).
    files.push(
      await startReplica('files-a'),
      await startReplica('files-b'),
      await startReplica('files-c'),
    );
    health = await startReplica('health-1');
    accounts = await startReplica('accounts-1');
    for (const replica of files) await register('files', replica);
    await register('health', health);
    await register('accounts', accounts);
    const [routerPort, statsPort] = [await freePort(), await freePort()];
    router = `http://127.0.0.1:${routerPort}`;
    stats = `http://127.0.0.1:${statsPort}`;
    haproxy = await startProcess({
      name: 'haproxy',
      command: requireTool('haproxy'),
      args: ['-db', '-V', '-f', join(repoRoot, 'haproxy/haproxy.cfg')],
      env: {
        ROUTER_BIND: `127.0.0.1:${routerPort}`,
        STATS_BIND: `127.0.0.1:${statsPort}`,
        CONSUL_DNS: double.dnsAddr,
      },
      ready: (line) => line.includes('polling mechanism'),
      timeoutMs: 10_000,
    });
    await until('the files replicas, health and accounts get requests', async () => {
      forget();
      for (let i = 0; i < 9; i += 1) await post('/files/graphql', {});
      await post('/health/graphql', {});
      await post('/accounts/graphql', {});
      return [...files, health, accounts].every((replica) => replica.seen.length > 0);
    });
    forget();
  });

  after(async () => {
    await haproxy?.stop(5_000);
    consul?.destroy();
    await double?.stop();
    for (const replica of [...files, health, accounts]) replica?.server.close();
  });

  test('when the gateway calls /files/graphql or /files/download/<id>, then a files replica gets it without the prefix', async () => {
    assert.equal((await post('/files/graphql', { 'x-filegraph-operation': 'query' })).status, 200);
    const download = await fetch(`${router}/files/download/photos%2Fcat.jpg?v=0123abcd`);
    assert.equal(download.status, 200);
    const urls = files.flatMap((replica) => replica.seen.map((seen) => seen.url));
    assert.deepEqual(urls.sort(), ['/download/photos%2Fcat.jpg?v=0123abcd', '/graphql']);
    forget();
  });

  test('when the gateway follows a share link, then a files replica gets /share/<token>', async () => {
    const response = await fetch(`${router}/files/share/c2VjcmV0LXRva2Vu`);
    const answer = (await response.json()) as { replica: string; url: string };
    assert.equal(answer.url, '/share/c2VjcmV0LXRva2Vu');
    assert.ok(
      files.some((replica) => replica.name === answer.replica),
      answer.replica,
    );
    forget();
  });

  test('when the gateway asks for a usage report, then a files replica gets /reports/<name> with its query', async () => {
    const response = await post('/files/reports/usage.csv?part=totals', {});
    const answer = (await response.json()) as { replica: string; url: string };
    assert.equal(answer.url, '/reports/usage.csv?part=totals');
    assert.ok(
      files.some((replica) => replica.name === answer.replica),
      answer.replica,
    );
    forget();
  });

  test('when the gateway asks accounts who is calling or sends it GraphQL, then an accounts replica gets /identity and /graphql', async () => {
    assert.deepEqual(await (await post('/accounts/identity', {})).json(), {
      replica: 'accounts-1',
      url: '/identity',
    });
    assert.deepEqual(await (await post('/accounts/graphql', {})).json(), {
      replica: 'accounts-1',
      url: '/graphql',
    });
    forget();
  });

  test('when the gateway calls /health/graphql, then the health instance gets /graphql', async () => {
    const response = await post('/health/graphql', { 'x-filegraph-operation': 'query' });
    assert.deepEqual(await response.json(), { replica: 'health-1', url: '/graphql' });
    forget();
  });

  test('when a path is not one the gateway calls, then HAProxy answers 404 and no replica sees it', async () => {
    for (const path of [
      '/graphql',
      '/files/metrics',
      '/files/health',
      '/files/changes',
      '/files/download/a/b',
      '/health/metrics',
      '/files/graphql/extra',
      '/accounts/metrics',
      '/accounts/identity/x',
      '/files/share/a/b',
      '/files/reports/a/b',
      '/health/identity',
    ]) {
      const response = await fetch(`${router}${path}`, { method: 'POST', body: '[]' });
      assert.equal(response.status, 404, path);
      assert.match(await response.text(), /\/files\/graphql, \/files\/download\/<id>/);
    }
    assert.equal((await fetch(`${router}/files/ready`)).status, 200);
    assert.deepEqual(
      [...files, health, accounts].flatMap((replica) => replica.seen.map((seen) => seen.url)),
      ['/ready'],
    );
    forget();
  });

  test('when a replica freezes, then queries are answered by the others and it leaves the rotation within seconds', async () => {
    const [frozen] = files;
    assert.ok(frozen);
    frozen.frozen = true;
    try {
      // Queries routed to it wait a bounded time, then go to another replica.
      for (let i = 0; i < 6; i += 1) {
        const response = await fetch(`${router}/files/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-filegraph-operation': 'query' },
          body: '{"query":"{ files { totalCount } }"}',
          signal: AbortSignal.timeout(20_000),
        });
        assert.equal(response.status, 200);
        assert.notEqual(((await response.json()) as { replica: string }).replica, frozen.name);
      }
      // Its checks fail (HAProxy's own, and Consul's, which takes it out of DNS).
      await until(
        'HAProxy no longer routes to it',
        async () => !(await upServers()).includes(frozen.port),
        10_000,
      );
    } finally {
      frozen.frozen = false;
      await until('it is back in the rotation', async () =>
        (await upServers()).includes(frozen.port),
      );
      forget();
    }
  });

  test('when a replica answers 503 to a query, then HAProxy replays the query on another replica', async () => {
    const [failing] = files;
    assert.ok(failing);
    failing.failing = true;
    try {
      for (let i = 0; i < 8; i += 1) {
        const response = await post('/files/graphql', { 'x-filegraph-operation': 'query' });
        assert.equal(response.status, 200);
        assert.notEqual(((await response.json()) as { replica: string }).replica, failing.name);
      }
      assert.ok(failing.seen.length > 0, 'the failing replica got no query: nothing was replayed');
    } finally {
      failing.failing = false;
      forget();
    }
  });

  for (const [kind, headers] of [
    ['a mutation', { 'x-filegraph-operation': 'mutation' }],
    ['an unmarked request', {}],
    [
      'a multipart upload marked as a query',
      { 'x-filegraph-operation': 'query', 'content-type': 'multipart/form-data; boundary=x' },
    ],
  ] as const) {
    test(`when a replica answers 503 to ${kind}, then HAProxy passes the 503 on and replays nothing`, async () => {
      const [failing] = files;
      assert.ok(failing);
      failing.failing = true;
      try {
        const sent = 8;
        let unavailable = 0;
        for (let i = 0; i < sent; i += 1) {
          if ((await post('/files/graphql', headers)).status === 503) unavailable += 1;
        }
        const received = files.reduce((sum, replica) => sum + replica.seen.length, 0);
        assert.equal(received, sent, 'a request reached the replicas more than once');
        assert.ok(unavailable > 0, 'no request reached the failing replica');
        assert.equal(unavailable, failing.seen.length);
      } finally {
        failing.failing = false;
        forget();
      }
    });
  }

  test('when operators look, then the monitor URI, the Prometheus metrics and the stats page answer', async () => {
    assert.equal((await fetch(`${stats}/healthz`)).status, 200);
    const metrics = await fetch(`${stats}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /^haproxy_backend_active_servers\{proxy="files"\} 3$/m);
    assert.equal((await fetch(`${stats}/stats`)).status, 200);
  });
});
