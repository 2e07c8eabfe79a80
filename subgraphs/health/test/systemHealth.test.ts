import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Instance, InstanceSource } from '../src/checks/instances.ts';
import { SystemHealth } from '../src/checks/SystemHealth.ts';

/** A stand-in instance whose GET /ready answers `status` with `body`. */
async function readyServer(status: number, body: object): Promise<{ url: string; server: Server }> {
  const server = createServer(
    (_req, res) =>
      void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ready`, server };
}

const instance = (
  service: string,
  id: string,
  readyUrl: string | undefined,
  registryStatus?: Instance['registryStatus'],
  more: Partial<Instance> = {},
): Instance => ({
  service,
  id,
  address: '127.0.0.1',
  port: 1,
  routed: service !== 'gateway' && service !== 'haproxy',
  meta: {},
  readyUrl,
  registryStatus,
  registryOutput: registryStatus === 'critical' ? 'connection refused' : '',
  ...more,
});

const source = (instances: Instance[], registryDown = false): InstanceSource => ({
  list: async () => ({
    instances,
    registry: {
      name: 'consul',
      status: registryDown ? 'DOWN' : 'OK',
      latencyMs: 1,
      error: registryDown ? 'refused' : null,
      url: null,
    },
  }),
});

describe('the health of the system', () => {
  const servers: Server[] = [];
  let filesReady: string;
  let storageDown: string;
  let gatewayStale: string;
  let gatewayComposed: string;

  before(async () => {
    const made = await Promise.all([
      readyServer(200, { dependencies: [{ name: 'storage', status: 'ok', latencyMs: 2 }] }),
      readyServer(503, {
        dependencies: [
          { name: 'storage', status: 'down', latencyMs: 2000, error: 'no answer within 2000 ms' },
        ],
      }),
      readyServer(200, {
        supergraph: {
          status: 'stale',
          composedAt: null,
          subgraphs: [],
          error: 'composition failed: X',
        },
      }),
      readyServer(200, {
        supergraph: {
          status: 'composed',
          composedAt: '2026-01-01T00:00:00.000Z',
          subgraphs: [],
          error: null,
        },
      }),
    ]);
    [filesReady, storageDown, gatewayStale, gatewayComposed] = made.map((m) => m.url) as [
      string,
      string,
      string,
      string,
    ];
    servers.push(...made.map((m) => m.server));
  });
  after(() => servers.forEach((server) => server.close()));

  const check = (instances: Instance[], registryDown = false, router?: string) =>
    new SystemHealth(source(instances, registryDown), { timeoutMs: 1000, router }).report();

  it('when every instance and dependency answers, then the system is OK and storage is listed', async () => {
    const report = await check([
      instance('files', 'f1', filesReady),
      instance('gateway', 'g1', gatewayComposed),
    ]);
    assert.equal(report.status, 'OK');
    assert.deepEqual(
      report.dependencies.map((d) => [d.name, d.status]),
      [
        ['storage', 'OK'],
        ['consul', 'OK'],
      ],
    );
    assert.equal(report.supergraph?.status, 'composed');
  });

  it('when one of two replicas is critical in Consul, then its service is DEGRADED and says why', async () => {
    const report = await check([
      instance('files', 'f1', filesReady),
      instance('files', 'f2', 'http://127.0.0.1:9/ready', 'critical'),
    ]);
    assert.equal(report.status, 'DEGRADED');
    const files = report.services.find((s) => s.name === 'files');
    assert.equal(files?.status, 'DEGRADED');
    assert.match(files?.instances[1]?.error ?? '', /not answering/);
  });

  it('when storage is down, or a service has no instance up, then the system is DOWN', async () => {
    assert.equal((await check([instance('files', 'f1', storageDown)])).status, 'DOWN');
    assert.equal(
      (await check([instance('files', 'f1', 'http://127.0.0.1:9/ready')])).status,
      'DOWN',
    );
  });

  it('when Consul is down or the supergraph is stale, then the system still serves and is DEGRADED', async () => {
    assert.equal((await check([instance('files', 'f1', filesReady)], true)).status, 'DEGRADED');
    const stale = await check([
      instance('files', 'f1', filesReady),
      instance('gateway', 'g1', gatewayStale),
    ]);
    assert.equal(stale.status, 'DEGRADED');
    assert.match(stale.supergraph?.error ?? '', /composition failed/);
  });

  it('when a router is configured but none is registered, then it is reported as a dependency that is down', async () => {
    const report = await check([instance('files', 'f1', filesReady)], false, 'haproxy');
    assert.deepEqual(
      report.dependencies.find((d) => d.name === 'router (haproxy)')?.status,
      'DOWN',
    );
    const routed = await check(
      [instance('files', 'f1', filesReady), instance('haproxy', 'h1', undefined, 'passing')],
      false,
      'haproxy',
    );
    assert.equal(routed.dependencies.find((d) => d.name === 'router (haproxy)')?.status, 'OK');
  });

  it('when the router does not route to a replica Consul calls passing, then that replica is DEGRADED, saying what the router says', async () => {
    // HAProxy's stats as CSV: files1 at port 1 UP, files2 at port 2 in MAINT, no slot for port 3.
    const stats = createServer((_req, res) =>
      res.end(
        [
          '# pxname,svname,qcur,status,addr',
          'files,files1,0,UP,127.0.0.1:1',
          'files,files2,0,MAINT (resolution),127.0.0.1:2',
          'files,BACKEND,0,UP,',
          '',
        ].join('\n'),
      ),
    );
    await new Promise<void>((resolve) => stats.listen(0, '127.0.0.1', resolve));
    servers.push(stats);
    const router = instance('haproxy', 'h1', undefined, 'passing', {
      meta: { stats_csv: `http://127.0.0.1:${(stats.address() as AddressInfo).port}/stats;csv` },
    });
    const report = await check(
      [
        instance('files', 'f1', filesReady, 'passing', { port: 1 }),
        instance('files', 'f2', filesReady, 'passing', { port: 2 }),
        instance('files', 'f3', filesReady, 'passing', { port: 3 }),
        router,
      ],
      false,
      'haproxy',
    );
    const files = report.services.find((s) => s.name === 'files');
    assert.deepEqual(
      files?.instances.map((i) => [i.name, i.status, i.error]),
      [
        ['f1', 'OK', null],
        ['f2', 'DEGRADED', 'the router has it MAINT (resolution), so it gets no requests'],
        ['f3', 'DEGRADED', 'the router does not route to it'],
      ],
    );
    assert.equal(files?.status, 'DEGRADED');
    assert.equal(report.status, 'DEGRADED');
  });
});
