import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import { fileFieldsFragment } from '@filegraph/testing/filesClient';
import { signedAs } from '@filegraph/testing/identity';
import { dataOf, postGraphql } from '../http.ts';
import type { Scenario } from '../Scenario.ts';
import { median, percentile } from '../stats.ts';

const pageSize = 50;
const query = `{ files(first: ${pageSize}) { nodes { ...FileFields } pageInfo { hasNextPage endCursor } } } ${fileFieldsFragment}`;
const loadConnections = 10;

interface FilesPage {
  files: { nodes: unknown[] };
}

interface Cannonade {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
}

/**
 * Sends the query on `connections` connections for `seconds`, with
 * `headers` (who is asking); every answer must be exactly `expected`.
 * Latencies are taken from each response as measured (autocannon's own
 * histogram rounds them to whole milliseconds).
 */
function cannon(
  endpoint: string,
  expected: string,
  connections: number,
  seconds: number,
  options: { tls?: object; headers?: Record<string, string>; query?: string } = {},
): Promise<Cannonade> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: endpoint,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: JSON.stringify({ query: options.query ?? query }),
        connections,
        duration: seconds,
        expectBody: expected,
        ...(options.tls ? { tlsOptions: options.tls } : {}),
      },
      (error, result) => {
        if (error) return reject(error);
        const wrong = result.errors + result.timeouts + result.non2xx + result.mismatches;
        if (wrong > 0 || latencies.length === 0)
          return reject(
            new Error(
              `${endpoint}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx, ${result.mismatches} wrong answers`,
            ),
          );
        resolve({
          requestsPerSecond: result.requests.average,
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

export const queryOverhead: Scenario = {
  name: 'query',
  about: `files(first: ${pageSize}) through the gateway, signed in with a token, against a files replica directly`,
  async run(bench) {
    const { stack, api, admin } = await bench.sharedStack();
    const { sizes, runs } = bench.config;
    const progress = (message: string) => bench.progress('query', message);
    const gateway = `${stack.url}/graphql`;
    const replica = `${(stack.files[0]?.url ?? '').replace(/\/$/, '')}/graphql`;
    // Behind internal TLS the replica takes only its peers: the bench calls it as the gateway does.
    const asGateway = stack.tlsAs('gateway');
    const through = asGateway?.agentFor('files');
    const { ca, cert, key } = asGateway?.server ?? {};
    const tls = asGateway && { ca, cert, key };

    const stored = (await api.list({ first: pageSize })).data?.files.nodes.length ?? 0;
    if (stored < pageSize) {
      progress(`storing ${pageSize - stored} files so that a page is full`);
      for (let index = stored; index < pageSize; index += 1)
        await api.put(`q-${String(index).padStart(3, '0')}.txt`, `file ${index}\n`, {
          prefix: 'bench/query',
        });
    }
    // Both must give the same page; each is then held to its own exact answer.
    const asAdmin = () => ({ headers: admin.headers() });
    // The admin as the gateway vouches for them; made anew for each run (it lives a minute).
    const atReplicaAs = signedAs(
      { id: admin.id, role: 'ADMIN', firstAdmin: true },
      stack.identitySecret,
    );
    const viaGateway = await postGraphql<FilesPage>(gateway, query, {}, asAdmin());
    const viaReplica = await postGraphql<FilesPage>(
      replica,
      query,
      {},
      { through, headers: atReplicaAs() },
    );
    const page = dataOf(viaGateway, 'gateway');
    if (
      page.files.nodes.length !== pageSize ||
      !isDeepStrictEqual(page, dataOf(viaReplica, 'replica'))
    )
      throw new Error(
        `gateway and replica answer differently:\n${viaGateway.text}\n${viaReplica.text}`,
      );

    const atReplica = (connections: number, seconds: number) =>
      cannon(replica, viaReplica.text, connections, seconds, { tls, headers: atReplicaAs() });
    const atGateway = (connections: number, seconds: number) =>
      cannon(gateway, viaGateway.text, connections, seconds, asAdmin());
    const seconds = sizes.querySeconds;
    progress(`warm-up, ${loadConnections} connections`);
    await atReplica(loadConnections, Math.max(1, Math.round(seconds / 2)));
    await atGateway(loadConnections, Math.max(1, Math.round(seconds / 2)));
    const loaded = { baseline: [] as Cannonade[], filegraph: [] as Cannonade[] };
    const single = { baseline: [] as Cannonade[], filegraph: [] as Cannonade[] };
    for (let run = 1; run <= runs; run += 1) {
      progress(`run ${run}/${runs}: ${loadConnections} connections, then 1, ${seconds} s each`);
      loaded.baseline.push(await atReplica(loadConnections, seconds));
      loaded.filegraph.push(await atGateway(loadConnections, seconds));
      single.baseline.push(await atReplica(1, seconds));
      single.filegraph.push(await atGateway(1, seconds));
    }

    const pick = (
      runs: { baseline: Cannonade[]; filegraph: Cannonade[] },
      key: keyof Cannonade,
    ) => ({
      baseline: runs.baseline.map((run) => run[key]),
      filegraph: runs.filegraph.map((run) => run[key]),
    });
    const rps = pick(loaded, 'requestsPerSecond');
    const p50 = pick(single, 'p50');
    const p99 = pick(single, 'p99');
    const loadedP50 = pick(loaded, 'p50');
    const loadedP99 = pick(loaded, 'p99');
    const baselineIs =
      'the same query to one files replica directly (no gateway, no HAProxy), with the identity the gateway would sign';
    return {
      rows: [
        {
          scenario: 'query',
          name: `query files(first: ${pageSize}), ${loadConnections} connections`,
          unit: 'req/s',
          baselineIs,
          baseline: median(rps.baseline),
          filegraph: median(rps.filegraph),
          target: { kind: 'min-ratio', value: 0.5 },
          samples: rps,
        },
        {
          scenario: 'query',
          name: `query files(first: ${pageSize}), 1 connection, p50`,
          unit: 'ms',
          baselineIs,
          baseline: median(p50.baseline),
          filegraph: median(p50.filegraph),
          target: { kind: 'max-added', value: 2 },
          samples: p50,
        },
        {
          scenario: 'query',
          name: `query files(first: ${pageSize}), 1 connection, p99`,
          unit: 'ms',
          baselineIs,
          baseline: median(p99.baseline),
          filegraph: median(p99.filegraph),
          target: { kind: 'none' },
          samples: p99,
        },
      ],
      notes: [
        `query: under ${loadConnections} connections, p50 ${median(loadedP50.baseline).toFixed(1)} ms direct, ${median(loadedP50.filegraph).toFixed(1)} ms via the gateway; p99 ${median(loadedP99.baseline).toFixed(1)} / ${median(loadedP99.filegraph).toFixed(1)} ms`,
      ],
      details: {
        [`latency under ${loadConnections} connections (ms)`]: {
          p50: loadedP50,
          p99: loadedP99,
        },
      },
    };
  },
};
