import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import { parse } from 'graphql';
import { startConsulDouble, type ConsulDouble } from '@filegraph/testing/consul';
import { eventually } from '@filegraph/testing/eventually';
import { errorCode } from '@filegraph/testing/filesClient';
import { graphql } from '@filegraph/testing/graphql';
import { freePort } from '@filegraph/processes/ports';
import { tokenHeaders } from '@filegraph/testing/accounts';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';

/**
 * A small subgraph in this process, registered in Consul by hand; its first
 * `refusals` GraphQL requests, and all in its first `refuseForMs`, get a
 * 503, like a subgraph still starting.
 */
async function testSubgraph(
  consul: ConsulDouble,
  name: string,
  typeDefs: string,
  resolvers: object,
  { refusals = 0, refuseForMs = 0 } = {},
) {
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema([{ typeDefs: parse(typeDefs), resolvers: resolvers as never }]),
  });
  await apollo.start();
  const app = express();
  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  let refused = 0;
  const refusingUntil = performance.now() + refuseForMs;
  app.use('/graphql', (_req, res, next) => {
    if (refused >= refusals && performance.now() >= refusingUntil) return next();
    refused += 1;
    res.status(503).send('starting');
  });
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const id = `${name}-test-${port}`;
  const register = () =>
    fetch(`http://${consul.httpAddr}/v1/agent/service/register`, {
      method: 'PUT',
      body: JSON.stringify({
        ID: id,
        Name: name,
        Address: '127.0.0.1',
        Port: port,
        Tags: ['graphql-subgraph'],
        Meta: {
          graphql_path: '/graphql',
          schema_sha256: createHash('sha256').update(typeDefs).digest('hex'),
        },
        Check: { HTTP: `http://127.0.0.1:${port}/health`, Interval: '300ms', Status: 'passing' },
      }),
    });
  await register();
  return {
    id,
    async deregister() {
      await fetch(`http://${consul.httpAddr}/v1/agent/service/deregister/${id}`, { method: 'PUT' });
    },
    async stop() {
      await this.deregister();
      await apollo.stop();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

interface GatewayHealth {
  supergraph: {
    status: string;
    error: string | null;
    subgraphs: Array<{ name: string }>;
    consul: { reachable: boolean };
  };
}

describe('subgraphs found through Consul', () => {
  let consul: ConsulDouble;
  let data: { path: string; remove(): Promise<void> };
  let files: RunningService;
  let health: RunningService;
  let accounts: RunningService;
  let gateway: RunningService;
  /** The first admin's API token. */
  let as: () => Record<string, string>;
  const extra: Array<{ stop(): Promise<void> }> = [];
  const consulEnv = () => ({
    CONSUL_HTTP_ADDR: consul.httpAddr,
    CONSUL_CHECK_INTERVAL: '300ms',
    CONSUL_DEREGISTER_AFTER: '3s',
  });
  const gatewayHealth = async () =>
    (await (await fetch(`${gateway.url}/health`)).json()) as GatewayHealth;
  /** One series of the gateway's /metrics, as Prometheus would read it. */
  const gatewayMetric = async (series: string) => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  before(async () => {
    consul = await startConsulDouble({ acl: 'off' });
    data = await tempDir('discovery');
    files = await startService('files', { ...consulEnv(), STORAGE: 'disk', DATA_DIR: data.path });
    health = await startService('health', consulEnv());
    accounts = await startService('accounts', { ...consulEnv(), DATA_DIR: data.path });
    // Its /health must say why a composition failed: details.
    gateway = await startService('gateway', { ...consulEnv(), HEALTH_DETAILS: '1' });
    as = await tokenHeaders(gateway.url);
  });

  after(async () => {
    for (const service of extra) await service.stop();
    await gateway?.stop();
    await health?.stop();
    await accounts?.stop();
    await files?.stop();
    await consul?.stop();
    await data?.remove();
  });

  it('when the subgraphs register, then the gateway composes them from Consul and serves both', async () => {
    await eventually('files, health and gateway registered at 127.0.0.1', () => {
      const names = consul.services().map((s) => `${s.name}@${s.address}`);
      return ['files', 'health', 'accounts', 'gateway'].every((n) =>
        names.includes(`${n}@127.0.0.1`),
      )
        ? names
        : undefined;
    });
    const answer = await graphql(
      gateway.url,
      '{ files { totalCount } health { status } }',
      {},
      { headers: as() },
    );
    assert.equal(answer.errors, undefined);
    const state = await gatewayHealth();
    assert.equal(state.supergraph.status, 'composed');
    assert.deepEqual(state.supergraph.subgraphs.map((s) => s.name).sort(), [
      'accounts',
      'files',
      'health',
    ]);
  });

  it('when a subgraph registers at runtime, then it joins the supergraph without a gateway restart', async (t) => {
    const started = performance.now();
    extra.push(
      await testSubgraph(consul, 'notes', 'type Query { noteCount: Int! }', {
        Query: { noteCount: () => 42 },
      }),
    );
    const data = await eventually(
      'noteCount served by the gateway',
      async () => {
        const answer = await graphql<{ noteCount: number }>(
          gateway.url,
          '{ noteCount }',
          {},
          { headers: as() },
        );
        return answer.data?.noteCount;
      },
      15_000,
    );
    assert.equal(data, 42);
    t.diagnostic(`a new subgraph joined in ${Math.round(performance.now() - started)} ms`);
  });

  it('when a registered subgraph cannot answer, then /metrics counts it missing until it joins, and says when the supergraph was composed', async () => {
    const before = Date.now() / 1_000;
    const composedBefore = await gatewayMetric('filegraph_supergraph_composed_timestamp_seconds');
    assert.ok(composedBefore !== undefined && composedBefore <= before, String(composedBefore));
    extra.push(
      await testSubgraph(
        consul,
        'labels',
        'type Query { labelCount: Int! }',
        { Query: { labelCount: () => 3 } },
        { refuseForMs: 4_000 },
      ),
    );
    await eventually('labels counted missing', async () =>
      (await gatewayMetric('filegraph_supergraph_subgraphs_missing')) === 1 ? true : undefined,
    );
    assert.equal(
      await gatewayMetric('filegraph_supergraph_subgraph{subgraph="labels"}'),
      undefined,
    );
    await eventually(
      'labels in the supergraph',
      async () =>
        (await gatewayMetric('filegraph_supergraph_subgraph{subgraph="labels"}')) === 1
          ? true
          : undefined,
      15_000,
    );
    assert.equal(await gatewayMetric('filegraph_supergraph_subgraphs_missing'), 0);
    const composed = await gatewayMetric('filegraph_supergraph_composed_timestamp_seconds');
    assert.ok(
      composed !== undefined && composed >= before,
      `composed at ${composed}, asked ${before}`,
    );
  });

  it('when a new subgraph cannot answer at first, then the gateway tries again until it joins', async (t) => {
    const started = performance.now();
    extra.push(
      await testSubgraph(
        consul,
        'tags',
        'type Query { tagCount: Int! }',
        { Query: { tagCount: () => 7 } },
        { refusals: 3 },
      ),
    );
    await eventually('the gateway saying it cannot reach tags yet', async () => {
      const { error } = (await gatewayHealth()).supergraph;
      return error?.includes('tags: no schema') ? error : undefined;
    });
    const data = await eventually(
      'tagCount served by the gateway',
      async () =>
        (await graphql<{ tagCount: number }>(gateway.url, '{ tagCount }', {}, { headers: as() }))
          .data?.tagCount,
      15_000,
    );
    assert.equal(data, 7);
    assert.equal((await gatewayHealth()).supergraph.error, null);
    t.diagnostic(`joined after 3 refusals in ${Math.round(performance.now() - started)} ms`);
  });

  it('when a registered subgraph cannot answer yet as a gateway starts, then that gateway is ready only once it serves it', async (t) => {
    extra.push(
      await testSubgraph(
        consul,
        'ideas',
        'type Query { ideaCount: Int! }',
        { Query: { ideaCount: () => 5 } },
        { refuseForMs: 1_500 },
      ),
    );
    const started = performance.now();
    const second = await startService('gateway', consulEnv());
    try {
      const answer = await graphql<{ ideaCount: number; files: { totalCount: number } }>(
        second.url,
        '{ ideaCount files { totalCount } }',
        {},
        { headers: as() },
      );
      assert.equal(answer.errors, undefined);
      assert.equal(answer.data?.ideaCount, 5);
      t.diagnostic(
        `ready with every subgraph ${Math.round(performance.now() - started)} ms after start`,
      );
    } finally {
      await second.stop();
    }
  });

  it('when a subgraph’s schema does not compose, then the last good supergraph keeps serving and /health says why', async () => {
    const clash = await testSubgraph(
      consul,
      'clash',
      `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
       type File @key(fields: "id") { id: ID! name: Int! }
       type Query { clash: Int }`,
      { Query: { clash: () => 1 } },
    );
    extra.push(clash);
    const stale = await eventually(
      'a stale supergraph',
      async () => {
        const state = await gatewayHealth();
        return state.supergraph.status === 'stale' ? state : undefined;
      },
      15_000,
    );
    assert.match(stale.supergraph.error ?? '', /composition failed/);
    // What SupergraphStale (ops/prometheus/rules) reads.
    assert.equal(await gatewayMetric('filegraph_supergraph_state{state="stale"}'), 1);
    assert.equal(await gatewayMetric('filegraph_supergraph_state{state="composed"}'), 0);
    // Registered, not served (with it, any other subgraph that had yet to join: none can now).
    assert.equal(await gatewayMetric('filegraph_supergraph_subgraph{subgraph="clash"}'), undefined);
    assert.ok(((await gatewayMetric('filegraph_supergraph_subgraphs_missing')) ?? 0) >= 1);
    const answer = await graphql<{ noteCount: number }>(
      gateway.url,
      '{ noteCount files { totalCount } }',
      {},
      { headers: as() },
    );
    assert.equal(answer.data?.noteCount, 42);
    assert.equal(
      errorCode(await graphql(gateway.url, '{ clash }', {}, { headers: as() })),
      'GRAPHQL_VALIDATION_FAILED',
    );
    await clash.deregister();
    await eventually(
      'composed again',
      async () => ((await gatewayHealth()).supergraph.status === 'composed' ? true : undefined),
      15_000,
    );
    assert.equal(await gatewayMetric('filegraph_supergraph_state{state="stale"}'), 0);
    assert.equal(await gatewayMetric('filegraph_supergraph_state{state="composed"}'), 1);
    assert.equal(await gatewayMetric('filegraph_supergraph_subgraphs_missing'), 0);
  });

  it('when a subgraph leaves Consul, then the gateway drops it', async () => {
    const notes = consul.services().find((s) => s.name === 'notes');
    assert.ok(notes);
    await fetch(`http://${consul.httpAddr}/v1/agent/service/deregister/${notes.id}`, {
      method: 'PUT',
    });
    await eventually(
      'noteCount gone',
      async () =>
        errorCode(await graphql(gateway.url, '{ noteCount }', {}, { headers: as() })) ===
        'GRAPHQL_VALIDATION_FAILED'
          ? true
          : undefined,
      15_000,
    );
    assert.equal(
      (await graphql(gateway.url, '{ files { totalCount } }', {}, { headers: as() })).errors,
      undefined,
    );
  });

  it('when Consul answers garbage, then queries keep answering and /health says Consul is not usable', async () => {
    consul.setFault('garbage');
    try {
      await eventually(
        'Consul seen as unreachable',
        async () => ((await gatewayHealth()).supergraph.consul.reachable ? undefined : true),
        40_000,
      );
      assert.equal(
        (await graphql(gateway.url, '{ files { totalCount } }', {}, { headers: as() })).errors,
        undefined,
      );
    } finally {
      consul.setFault('none');
    }
  });

  it('when Consul stops mid-run, then queries keep answering; when it comes back empty, every instance registers again', async (t) => {
    await consul.stop();
    assert.equal(
      (
        await graphql(
          gateway.url,
          '{ files { totalCount } health { status } }',
          {},
          { headers: as() },
        )
      ).errors,
      undefined,
    );
    const restarted = performance.now();
    await consul.start();
    const registered = await eventually(
      'files, health and gateway registered again',
      () => {
        const names = new Set(consul.services().map((s) => s.name));
        return ['files', 'health', 'gateway'].every((n) => names.has(n)) ? names : undefined;
      },
      15_000,
    );
    t.diagnostic(
      `instances registered again ${Math.round(performance.now() - restarted)} ms after Consul came back`,
    );
    assert.ok(registered.has('files'));
    await eventually(
      'Consul reachable again',
      async () => ((await gatewayHealth()).supergraph.consul.reachable ? true : undefined),
      40_000,
    );
    assert.equal(
      (await graphql(gateway.url, '{ files { totalCount } }', {}, { headers: as() })).errors,
      undefined,
    );
  });

  it('when another instance registers under a running instance’s ID, then that instance takes its ID back', async () => {
    const ours = consul.services().find((s) => s.name === 'files');
    assert.ok(ours);
    await fetch(`http://${consul.httpAddr}/v1/agent/service/register`, {
      method: 'PUT',
      body: JSON.stringify({
        ID: ours.id,
        Name: 'files',
        Address: '127.0.0.1',
        Port: await freePort(),
        Tags: ['graphql-subgraph'],
      }),
    });
    await eventually(
      'our address back under our ID',
      () => {
        const entry = consul.services().find((s) => s.id === ours.id);
        return entry?.port === ours.port ? entry : undefined;
      },
      10_000,
    );
    // The gateway follows: its requests reach the real instance again, the supergraph never stopped serving.
    await eventually(
      'files answering through the gateway again',
      async () =>
        (await graphql(gateway.url, '{ files { totalCount } }', {}, { headers: as() })).errors ===
        undefined
          ? true
          : undefined,
      10_000,
    );
    assert.equal((await gatewayHealth()).supergraph.status, 'composed');
  });

  it('when an instance dies and starts again on the same port, then its new registration replaces the old, with no phantom left', async () => {
    const port = await freePort();
    const env = { ...consulEnv(), STORAGE: 'disk', DATA_DIR: data.path, PORT: String(port) };
    const first = await startService('files', env);
    const before = await eventually('the first registered', () =>
      consul.services().find((s) => s.port === port),
    );
    // Killed: nothing deregisters it, and its check will reach whatever answers on that port.
    first.process.kill('SIGKILL');
    await first.process.exited;
    const second = await startService('files', env);
    try {
      const after = await eventually('only the new instance at that address', () => {
        const there = consul.services().filter((s) => s.port === port);
        return there.length === 1 && there[0]?.id !== before.id ? there[0] : undefined;
      });
      assert.equal(after.name, 'files');
    } finally {
      await second.stop();
    }
  });

  it('when an instance gets SIGTERM, then it deregisters from Consul and exits cleanly', async () => {
    const second = await startService('files', {
      ...consulEnv(),
      STORAGE: 'disk',
      DATA_DIR: data.path,
    });
    const port = Number(new URL(second.url).port);
    await eventually('second instance registered', () =>
      consul.services().find((s) => s.port === port),
    );
    second.process.kill('SIGTERM');
    assert.equal(await second.process.exited, 0);
    assert.equal(
      consul.services().find((s) => s.port === port),
      undefined,
    );
    assert.match(second.process.output(), /deregistered from Consul/);
  });

  it('when Consul is down as a subgraph starts, then it serves anyway and registers once Consul answers', async () => {
    const port = await freePort();
    const late = await startConsulDouble({ acl: 'off', httpPort: port });
    await late.stop();
    const lonely = await startService('health', {
      CONSUL_HTTP_ADDR: `127.0.0.1:${port}`,
      CONSUL_CHECK_INTERVAL: '300ms',
    });
    try {
      assert.equal((await fetch(`${lonely.url}/ready`)).status, 200);
      await late.start();
      await eventually(
        'registered after Consul came up',
        () => late.services().find((s) => s.name === 'health'),
        15_000,
      );
    } finally {
      await lonely.stop();
      await late.stop();
    }
  });

  it('when an instance is killed, then the health query reports it down at once, and Consul within its check interval', async () => {
    const doomed = await startService('files', {
      ...consulEnv(),
      STORAGE: 'disk',
      DATA_DIR: data.path,
    });
    const port = Number(new URL(doomed.url).port);
    await eventually('doomed instance registered', () =>
      consul.services().find((s) => s.port === port && s.status === 'passing'),
    );
    doomed.process.kill('SIGKILL');
    await doomed.process.exited;
    const killed = performance.now();
    const query = '{ health { status services { name status instances { name status error } } } }';
    const ask = () =>
      graphql<{
        health: {
          status: string;
          services: Array<{
            name: string;
            status: string;
            instances: Array<{ name: string; status: string; error: string | null }>;
          }>;
        };
      }>(gateway.url, query, {}, { headers: as() });
    const filesOf = (report: Awaited<ReturnType<typeof ask>>) =>
      report.data?.health.services.find((s) => s.name === 'files');
    // The very first answer already has it DOWN: health asks each instance, not Consul.
    const first = filesOf(await ask());
    assert.ok(
      first?.instances.some((i) => i.status === 'DOWN'),
      JSON.stringify(first),
    );
    // The other instance answers (on a loaded machine, maybe only at the next ask): DEGRADED.
    const report = await eventually('files DEGRADED, one instance DOWN', async () => {
      const answer = await ask();
      const files = filesOf(answer);
      return files?.status === 'DEGRADED' &&
        files.instances.filter((i) => i.status === 'DOWN').length === 1
        ? answer
        : undefined;
    });
    assert.equal(report.data?.health.status, 'DEGRADED');
    await eventually(
      'Consul marks it critical',
      () => consul.services().find((s) => s.port === port && s.status === 'critical'),
      5_000,
    );
    assert.ok(performance.now() - killed < 5_000);
  });
});
