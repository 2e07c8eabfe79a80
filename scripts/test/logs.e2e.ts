import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '@filegraph/testing/eventually';
import type { OpsServices } from '../stack/opsServices.ts';
import type { Stack } from '../stack/startStack.ts';
import { keepQuerying } from './keepQuerying.ts';
import { startOpsStack, type OpsStack } from './opsStack.ts';

/**
 * Central logs on the native stack with `--ops`: every service
 * posts its JSON lines to VictoriaLogs (LOGS_URL), HAProxy sends its own
 * over syslog (LOGS_SYSLOG), and the id the gateway gives a request finds
 * that request's lines in each of them. Then the faults: VictoriaLogs frozen
 * (it takes connections and never answers), then stopped.
 */

type Line = Record<string, string>;

const query = '{ files(first: 1) { totalCount } }';

/** The LogsQL that finds one request everywhere: the services' field, and HAProxy's structured data. */
const byRequestId = (id: string) => `requestId:="${id}" or "filegraph@32473.requestId":="${id}"`;

describe('central logs on the native stack (--ops)', () => {
  let stack: Stack;
  let ops: OpsServices;
  let admin: () => Record<string, string>;

  /** VictoriaLogs's answer to a LogsQL query: one JSON object a line. */
  const logsql = async (logsQuery: string): Promise<Line[]> => {
    const response = await fetch(`${ops.urls.victoriaLogs}/select/logsql/query`, {
      method: 'POST',
      body: new URLSearchParams({ query: logsQuery }),
    });
    assert.equal(response.status, 200, await response.clone().text());
    const text = await response.text();
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Line);
  };

  /** A query through the gateway; its answer's request id. */
  const ask = async (): Promise<string> => {
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin() },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { errors?: unknown };
    assert.equal(response.status, 200);
    assert.equal(body.errors, undefined);
    const id = response.headers.get('x-request-id');
    assert.ok(id, 'the gateway answers with the request id');
    return id;
  };

  /** Waits until VictoriaLogs has this request's lines from each of `services` (HAProxy's app_name: haproxy). */
  const linesOf = (id: string, services = ['gateway', 'haproxy', 'files']) =>
    eventually(
      `the lines of request ${id} from ${services.join(', ')}`,
      async () => {
        const lines = await logsql(byRequestId(id));
        const from = new Set(lines.map((line) => line.service ?? line.app_name));
        return services.every((name) => from.has(name)) ? lines : undefined;
      },
      30_000,
      500,
    );

  /** The gateway's filegraph_log_lines_dropped_total{reason}, as Prometheus would read it. */
  const gatewayDropped = async (reason: string): Promise<number> => {
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`filegraph_log_lines_dropped_total{reason="${reason}"} `));
    assert.ok(line, `filegraph_log_lines_dropped_total{reason="${reason}"} on /metrics`);
    return Number(line.split(' ')[1]);
  };

  let running: OpsStack | undefined;
  before(async () => {
    running = await startOpsStack('logs', {});
    ({ stack, ops, admin } = running);
  });
  after(async () => {
    ops?.victoriaLogs.kill('SIGCONT');
    await running?.stop();
  });

  it("when a request goes through the gateway, then its id finds the gateway's, HAProxy's and a files replica's lines, and those of the accounts replica that said who called", async (t) => {
    // The token's first use: the gateway asks accounts who it is (then keeps the answer a few seconds).
    const id = await ask();
    const lines = await linesOf(id, ['gateway', 'haproxy', 'files', 'accounts']);
    t.diagnostic(lines.map((l) => `${l.service ?? l.app_name}: ${l._msg}`).join(' | '));

    const gateway = lines.find((l) => l.service === 'gateway' && l._msg === 'request');
    assert.equal(gateway?.path, '/graphql');
    assert.equal(gateway?.status, '200');
    assert.equal(gateway?.method, 'POST');

    // HAProxy's own line for the query (the identity lookup has one too, in
    // any order): the route it took and the id it was handed, over syslog.
    const haproxy = lines.find(
      (l) => l.app_name === 'haproxy' && l._msg?.includes('"POST /files/graphql HTTP/1.1"'),
    );
    assert.ok(haproxy?._msg?.includes(`{query|${id}}`), JSON.stringify(lines));

    const lookup = lines.find((l) => l.service === 'accounts' && l._msg === 'request');
    assert.equal(lookup?.path, '/identity');
    assert.ok(
      lines.some((l) => l.app_name === 'haproxy' && l._msg?.includes('/accounts/identity')),
    );

    // Which replica: its process id, as the shipper added it to every line.
    const files = lines.find((l) => l.service === 'files' && l._msg === 'request');
    const replicaPids = stack.files.map((replica) => String(replica.process.pid));
    assert.ok(replicaPids.includes(files?.pid ?? ''), `${files?.pid} in ${replicaPids}`);
    assert.equal(files?.path, '/graphql');
    assert.equal(files?.status, '200');
    // One stream per process: what VictoriaLogs groups a replica's lines by.
    assert.match(files?._stream ?? '', /service="files"/);
  });

  it('when VictoriaLogs is frozen, then queries are answered as fast as before; when it is stopped, as well; the lines it missed are counted; once back, it gets new lines again', async (t) => {
    const timed = async (seconds: number) => {
      const queries = keepQuerying(stack.url, 2, admin);
      await sleep(seconds * 1_000);
      const { failures, latencies } = await queries.stop();
      assert.deepEqual(failures, []);
      const sorted = latencies.toSorted((a, b) => a - b);
      return { count: sorted.length, p50: sorted[Math.floor(sorted.length / 2)] ?? NaN };
    };
    // Warm first (connections, JIT, caches): the first seconds after a start are slower.
    await timed(2);
    const before = await timed(3);
    const unavailableBefore = await gatewayDropped('unavailable');

    // Frozen: connections open, nothing answers; each batch waits out its 5 s timeout.
    ops.victoriaLogs.kill('SIGSTOP', { restart: false });
    const frozen = await timed(8);
    ops.victoriaLogs.kill('SIGCONT');

    await ops.victoriaLogs.stop();
    const stopped = await timed(4);
    const dropped = await eventually(
      'the gateway counting the lines VictoriaLogs missed',
      async () => {
        const now = await gatewayDropped('unavailable');
        return now > unavailableBefore ? now - unavailableBefore : undefined;
      },
      15_000,
      500,
    );
    t.diagnostic(
      `p50 ${before.p50.toFixed(1)} ms (${before.count} queries) with VictoriaLogs up, ` +
        `${frozen.p50.toFixed(1)} ms (${frozen.count}) frozen, ${stopped.p50.toFixed(1)} ms (${stopped.count}) stopped; ` +
        `the gateway dropped ${dropped} lines`,
    );
    // Unaffected, within what a shared machine's noise allows.
    assert.ok(frozen.p50 < before.p50 * 2 + 5, 'queries slowed down while VictoriaLogs hung');
    assert.ok(stopped.p50 < before.p50 * 2 + 5, 'queries slowed down while VictoriaLogs was down');

    await ops.victoriaLogs.start();
    // Shipping resumes by itself: a new request's lines arrive.
    await linesOf(await ask());
  });
});
