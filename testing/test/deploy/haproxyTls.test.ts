import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Consul from 'consul';
import { request } from '@filegraph/shared/httpClient';
import type { InternalTls } from '@filegraph/shared/tls';
import { freePort } from '@filegraph/processes/ports';
import { startProcess, type ManagedProcess } from '@filegraph/processes/processes';
import { certificates } from '@filegraph/processes/tls';
import { requireTool } from '@filegraph/processes/tools';
import { startConsulDouble, type ConsulDouble } from '../../src/consul/ConsulDouble.ts';
import { tempDir } from '../../src/temp.ts';
import { repoRoot } from './loadCompose.ts';

interface Replica {
  readonly name: string;
  readonly server: Server;
  readonly port: number;
  /** Every HTTP request it was sent, HAProxy's checks included. */
  readonly seen: string[];
}

async function startReplica(name: string, tls: InternalTls | undefined): Promise<Replica> {
  const server = tls ? createHttpsServer(tls.server) : createHttpServer();
  const seen: string[] = [];
  server.on('request', (req, res) => {
    seen.push(req.url ?? '');
    req.resume();
    res.end(JSON.stringify({ replica: name }));
  });
  server.on('tlsClientError', () => {
    // A client without the CA's certificate: refused in the handshake, as meant.
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { name, server, port: (server.address() as AddressInfo).port, seen };
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
 * haproxy/haproxy.cfg with INTERNAL_TLS_DIR set, natively, in front of
 * replicas found through the Consul double's DNS: four processes registered
 * as `files`, of which one holds the CA's certificate naming files.
 */
describe('HAProxy with internal TLS: only holders of the CA’s certificates take part', () => {
  let certs: Awaited<ReturnType<typeof tempDir>>;
  let tls: Record<string, InternalTls>;
  let stranger: Record<string, InternalTls>;
  let double: ConsulDouble;
  let consul: Consul;
  let haproxy: ManagedProcess;
  let routerPort: number;
  let stats: string;
  let genuine: Replica;
  let impostors: Replica[];

  function register(replica: Replica): Promise<unknown> {
    // Registered the way an impostor would: its own check, which passes.
    return consul.agent.service.register({
      name: 'files',
      id: replica.name,
      address: '127.0.0.1',
      port: replica.port,
      tags: ['graphql-subgraph'],
      check: { name: 'liveness', ttl: '1h', timeout: '1s', status: 'passing' },
    });
  }

  /** POSTs a query to the router as a client holding `as`'s certificate. */
  function query(as: InternalTls) {
    return request(`https://127.0.0.1:${routerPort}/files/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-filegraph-operation': 'query' },
      body: '{"query":"{ __typename }"}',
      agent: as.agentFor('haproxy'),
      signal: AbortSignal.timeout(5_000),
    });
  }

  async function serverStatuses(): Promise<Map<number, string>> {
    const [header = '', ...lines] = (await (await fetch(`${stats}/stats;csv`)).text()).split('\n');
    const columns = header.replace(/^# /, '').split(',');
    const [status, addr] = [columns.indexOf('status'), columns.indexOf('addr')];
    return new Map(
      lines
        .map((line) => line.split(','))
        .filter((row) => row[0] === 'files' && row[addr])
        .map((row) => [Number(row[addr]?.split(':')[1]), row[status] ?? '']),
    );
  }

  before(async () => {
    certs = await tempDir('haproxy-tls');
    tls = await certificates(join(certs.path, 'ours'), ['haproxy', 'files', 'health', 'gateway']);
    // Another CA's certificates, with the right names on them.
    stranger = await certificates(join(certs.path, 'theirs'), ['files', 'gateway']);
    genuine = await startReplica('genuine', tls.files);
    impostors = [
      await startReplica('plain-http', undefined),
      await startReplica('another-ca', stranger.files),
      await startReplica('our-ca-wrong-name', tls.health),
    ];
    double = await startConsulDouble({ acl: 'off' });
    consul = new Consul({ host: '127.0.0.1', port: double.httpPort });
    for (const replica of [genuine, ...impostors]) await register(replica);
    routerPort = await freePort();
    const statsPort = await freePort();
    stats = `http://127.0.0.1:${statsPort}`;
    haproxy = await startProcess({
      name: 'haproxy',
      command: requireTool('haproxy'),
      args: ['-db', '-V', '-f', join(repoRoot, 'haproxy/haproxy.cfg')],
      env: {
        ROUTER_BIND: `127.0.0.1:${routerPort}`,
        STATS_BIND: `127.0.0.1:${statsPort}`,
        CONSUL_DNS: double.dnsAddr,
        INTERNAL_TLS_DIR: tls.haproxy?.dir ?? '',
      },
      ready: (line) => line.includes('polling mechanism'),
      timeoutMs: 10_000,
    });
    // HAProxy 2.6 counts a server it has just found as UP until its checks
    // fail (fall 2): the impostors go DOWN within a few seconds. Until then
    // a request sent their way fails its handshake and is sent elsewhere.
    await until('HAProxy checked all four', async () => {
      const statuses = await serverStatuses();
      return (
        statuses.get(genuine.port) === 'UP' &&
        impostors.every((impostor) => statuses.get(impostor.port)?.startsWith('DOWN'))
      );
    });
  });

  after(async () => {
    await haproxy?.stop(5_000);
    consul?.destroy();
    await double?.stop();
    for (const replica of [genuine, ...(impostors ?? [])]) replica?.server.close();
    await certs?.remove();
  });

  test('when processes without the CA’s certificate naming files register as files, then they stay DOWN and are sent nothing, not even a check', async () => {
    for (let i = 0; i < 20; i += 1) {
      const answer = await query(tls.gateway as InternalTls);
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.text), { replica: 'genuine' });
    }
    const statuses = await serverStatuses();
    for (const impostor of impostors) {
      assert.match(
        statuses.get(impostor.port) ?? '',
        /^DOWN/,
        `${impostor.name} ${JSON.stringify(impostor.seen)}`,
      );
      assert.deepEqual(impostor.seen, [], `${impostor.name} was sent a request`);
    }
    assert.ok(genuine.seen.includes('/graphql'));
    assert.ok(genuine.seen.includes('/health'), 'HAProxy checks the genuine replica over TLS');
  });

  test('when impostors have only just registered, then queries sent at once still all reach the genuine replica', async () => {
    const late = [
      await startReplica('late-plain', undefined),
      await startReplica('late-another-ca', stranger.files),
    ];
    impostors.push(...late);
    for (const replica of late) await register(replica);
    // Before HAProxy has checked them, while they count as UP: every failed
    // connection takes one out and the query goes to another server.
    await until('HAProxy has found them', async () => {
      const statuses = await serverStatuses();
      return late.every((replica) => statuses.has(replica.port));
    });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => query(tls.gateway as InternalTls)),
    );
    for (const answer of answers) {
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual(JSON.parse(answer.text), { replica: 'genuine' });
    }
    for (const replica of late) assert.deepEqual(replica.seen, [], replica.name);
  });

  test('when a client holds no certificate, or another CA’s, then the router refuses it in the handshake and no replica hears of it', async () => {
    const queries = () => genuine.seen.filter((url) => url !== '/health').length;
    const before = queries();
    const withoutCertificate = new Promise<void>((resolve, reject) => {
      const outgoing = httpsRequest(
        `https://127.0.0.1:${routerPort}/files/graphql`,
        { method: 'POST', ca: tls.gateway?.server.ca, servername: 'haproxy', agent: false },
        () => reject(new Error('the router answered a client without a certificate')),
      );
      outgoing.on('error', () => resolve());
      outgoing.end('{"query":"{ __typename }"}');
    });
    await withoutCertificate;
    await assert.rejects(query(stranger.gateway as InternalTls));
    await assert.rejects(
      request(`http://127.0.0.1:${routerPort}/files/graphql`, {
        method: 'POST',
        body: '{}',
        signal: AbortSignal.timeout(5_000),
      }).then((answer) => {
        // HAProxy may answer plain HTTP on a TLS port with a 400 of its own; never with a replica's.
        if (!answer.text.includes('genuine')) throw new Error(`refused: ${answer.status}`);
        return answer;
      }),
    );
    assert.equal(queries(), before);
  });
});
