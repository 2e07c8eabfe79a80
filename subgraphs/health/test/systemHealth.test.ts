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
      reason: registryDown ? 'not answering' : undefined,
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

  /** The whole report, as with HEALTH_DETAILS=1. */
  const check = (instances: Instance[], registryDown = false, router?: string) =>
    new SystemHealth(source(instances, registryDown), {
      timeoutMs: 1000,
      router,
      details: true,
    }).report();
  /** The report anyone may read: HEALTH_DETAILS off. */
  const publicly = (instances: Instance[], registryDown = false, router?: string) =>
    new SystemHealth(source(instances, registryDown), {
      timeoutMs: 1000,
      router,
      details: false,
    }).report();

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

  it('when details are hidden, then instances are named by service and position, errors are fixed words, and nothing names an address, an id or the host', async () => {
    const storageSaysWhere = await readyServer(503, {
      dependencies: [
        {
          name: 'storage',
          status: 'down',
          latencyMs: 3,
          error: 'storage (minio:9000, bucket filegraph) is not answering',
        },
      ],
    });
    servers.push(storageSaysWhere.server);
    const report = await publicly(
      [
        instance('files', 'files-box7.internal-4001-a1b2c3', storageSaysWhere.url, 'passing'),
        instance(
          'files',
          'files-box3.internal-4001-d4e5f6',
          'http://127.0.0.1:9/ready',
          'critical',
          {
            registryOutput:
              'Get "http://10.0.0.5:4001/health": dial tcp 10.0.0.5:4001: connect: connection refused',
          },
        ),
        instance('files', 'files-box5.internal-4001-0a0b0c', filesReady, 'warning', {
          registryOutput: 'HTTP GET http://10.0.0.6:4001/health: 429 Too Many Requests',
        }),
      ],
      true,
    );
    assert.equal(report.host, null);
    assert.equal(report.process, null);
    const files = report.services.find((s) => s.name === 'files');
    assert.deepEqual(
      files?.instances.map((i) => [i.name, i.status, i.error, i.url]),
      [
        ['files 1', 'DOWN', 'not answering', null],
        ['files 2', 'DEGRADED', 'Consul check warning', null],
        ['files 3', 'DOWN', 'not ready', null],
      ],
    );
    assert.deepEqual(
      report.dependencies.map((d) => [d.name, d.status, d.error, d.url]),
      [
        ['storage', 'DOWN', 'not answering', null],
        ['consul', 'DOWN', 'not answering', null],
      ],
    );
    assert.equal(report.status, 'DOWN');
    const text = JSON.stringify(report);
    for (const secret of ['box', '127.0.0.1', '10.0.0', 'minio:9000', 'http', 'refused'])
      assert.ok(!text.includes(secret), `${secret} in ${text}`);
  });

  it('when details are hidden and the router does not route to a replica, then it reads "not routed"', async () => {
    const stats = createServer((_req, res) =>
      res.end(['# pxname,svname,status,addr', 'files,files1,MAINT,127.0.0.1:2', ''].join('\n')),
    );
    await new Promise<void>((resolve) => stats.listen(0, '127.0.0.1', resolve));
    servers.push(stats);
    const report = await publicly(
      [
        instance('files', 'f1', filesReady, 'passing', { port: 1 }),
        instance('files', 'f2', filesReady, 'passing', { port: 2 }),
        instance('haproxy', 'h1', undefined, 'passing', {
          meta: { stats_csv: `http://127.0.0.1:${(stats.address() as AddressInfo).port}/;csv` },
        }),
      ],
      false,
      'haproxy',
    );
    assert.deepEqual(
      report.services.find((s) => s.name === 'files')?.instances.map((i) => [i.name, i.error]),
      [
        ['files 1', 'not routed'],
        ['files 2', 'not routed'],
      ],
    );
    assert.deepEqual(
      report.services.find((s) => s.name === 'haproxy')?.instances.map((i) => i.name),
      ['haproxy 1'],
    );
  });

  it('when details are hidden, then the supergraph keeps its status, time and subgraph counts, without URLs or error text', async () => {
    const detailed = await readyServer(200, {
      supergraph: {
        status: 'stale',
        composedAt: '2026-01-01T00:00:00.000Z',
        subgraphs: [
          { name: 'files', url: 'http://10.0.0.9:8080/files/graphql', instances: 2, passing: 1 },
        ],
        error: 'composition failed: files at http://10.0.0.9:8080 said no',
        consul: { reachable: true, error: null },
      },
    });
    // A gateway whose own HEALTH_DETAILS is off says its supergraph's status only.
    const brief = await readyServer(200, { status: 'ready', supergraph: { status: 'composed' } });
    servers.push(detailed.server, brief.server);
    const stale = await publicly([instance('gateway', 'g1', detailed.url)]);
    assert.deepEqual(stale.supergraph, {
      status: 'stale',
      composedAt: '2026-01-01T00:00:00.000Z',
      subgraphs: [{ name: 'files', url: null, instances: 2, passing: 1 }],
      error: 'the latest composition failed; the last good one serves',
    });
    assert.equal(stale.status, 'DEGRADED');
    assert.deepEqual((await publicly([instance('gateway', 'g1', brief.url)])).supergraph, {
      status: 'composed',
      composedAt: null,
      subgraphs: null,
      error: null,
    });
    assert.equal(
      (await check([instance('gateway', 'g1', brief.url)])).supergraph?.status,
      'composed',
    );
  });
});
