import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { root } from '@filegraph/processes/root';
import { eventually } from '@filegraph/testing/eventually';
import { FilesClient } from '@filegraph/testing/filesClient';
import { graphql } from '@filegraph/testing/graphql';
import type { Stack } from '../stack/startStack.ts';
import { startOpsStack, type OpsStack } from './opsStack.ts';

/**
 * ops/grafana/dashboards/filegraph.json against what it will be pointed at:
 * the native stack and Prometheus as `npm run stack -- --ops` starts them
 * (Prometheus finds the instances in Consul with a read-only token and
 * scrapes the subgraphs with its certificate of the stack's CA), after
 * uploads, downloads, queries and errors. Every PromQL expression on the
 * dashboard must return a number: a panel that can never show anything is
 * a defect, whether of the panel or of a metric.
 */

interface Panel {
  readonly title: string;
  readonly datasource?: { readonly type: string };
  readonly targets?: ReadonlyArray<{ readonly expr?: string }>;
}

/** Grafana's interval variables as Grafana fills them in for the last hour, 10 s scrapes. */
const grafanaVariables: Record<string, string> = { $__rate_interval: '1m' };

interface QueryAnswer {
  readonly status: string;
  readonly error?: string;
  readonly data?: {
    readonly resultType: string;
    readonly result: ReadonlyArray<{ readonly value: readonly [number, string] }>;
  };
}

describe('the filegraph dashboard on the native stack', () => {
  let stack: Stack;
  let running: OpsStack | undefined;
  let prometheusUrl: string;
  let traffic: Promise<void> | undefined;
  /** Why the traffic stopped before the end, if it did: then no panel's emptiness means anything. */
  let trafficFailed: unknown;
  let stopTraffic = false;

  const query = async (expr: string): Promise<QueryAnswer> =>
    (await (
      await fetch(`${prometheusUrl}/api/v1/query`, {
        method: 'POST',
        body: new URLSearchParams({ query: expr }),
      })
    ).json()) as QueryAnswer;

  /** The finite values `expr` has now. */
  const values = async (expr: string): Promise<number[]> => {
    const answer = await query(expr);
    assert.equal(answer.status, 'success', `${expr}: ${answer.error}`);
    return (answer.data?.result ?? []).map(({ value }) => Number(value[1])).filter(Number.isFinite);
  };

  before(async () => {
    running = await startOpsStack('dashboard');
    stack = running.stack;
    prometheusUrl = running.ops.urls.prometheus;
    const admin = running.admin;
    const api = new FilesClient(stack.url, { headers: admin });

    // What people do, all the time the dashboard is read: rates over the last
    // minute need requests in it.
    traffic = (async () => {
      for (let round = 1; !stopTraffic; round += 1) {
        const file = await api.put(`note-${round}.txt`, `round ${round}\n`.repeat(200), {
          prefix: 'dashboard',
        });
        assert.equal((await api.download(file.url)).status, 200);
        await api.all({ prefix: 'dashboard' });
        // An error a client sees: a file that is not there.
        await graphql(
          stack.url,
          '{ file(id: "no-such-file") { id } nope }',
          {},
          { headers: admin() },
        );
        await sleep(1_000);
      }
    })().catch((error: unknown) => {
      trafficFailed = error;
    });
  });

  after(async () => {
    stopTraffic = true;
    await traffic;
    await running?.stop();
  });

  it(
    'when the stack has served uploads, downloads, queries and errors, then every PromQL expression on the dashboard returns a number',
    { timeout: 240_000 },
    async (t) => {
      const dashboard = JSON.parse(
        await readFile(join(root, 'ops/grafana/dashboards/filegraph.json'), 'utf8'),
      ) as { panels: Panel[] };
      const expressions = dashboard.panels
        .filter((panel) => panel.datasource?.type === 'prometheus')
        .flatMap((panel) =>
          (panel.targets ?? []).map((target) => ({
            panel: panel.title,
            expr: Object.entries(grafanaVariables).reduce(
              (expr, [name, value]) => expr.replaceAll(name, value),
              target.expr ?? '',
            ),
          })),
        );
      assert.ok(expressions.length >= 20, `${expressions.length} expressions`);

      // Every service of the stack scraped, then at least two scrapes (10 s
      // apart) with traffic between them for every rate.
      const started = performance.now();
      await eventually(
        'Prometheus scraping files, accounts, health, gateway, haproxy and minio',
        async () => {
          const up = await query('sum by (job) (up)');
          const jobs = new Set(
            (up.data?.result ?? [])
              .filter(({ value }) => Number(value[1]) > 0)
              .map((series) => (series as unknown as { metric: { job: string } }).metric.job),
          );
          return ['files', 'accounts', 'health', 'gateway', 'haproxy', 'minio'].every((job) =>
            jobs.has(job),
          )
            ? true
            : undefined;
        },
        90_000,
        1_000,
      );
      const missing = async () => {
        if (trafficFailed) throw new Error('the traffic failed', { cause: trafficFailed });
        const without: string[] = [];
        for (const { panel, expr } of expressions)
          if ((await values(expr)).length === 0) without.push(`${panel}: ${expr}`);
        return without;
      };
      await eventually(
        'every expression with a value',
        async () => ((await missing()).length === 0 ? true : undefined),
        120_000,
        5_000,
      ).catch(async (error: unknown) => {
        throw new Error(`no value for:\n${(await missing()).join('\n')}`, { cause: error });
      });
      t.diagnostic(
        `${expressions.length} expressions answered ${Math.round((performance.now() - started) / 1_000)} s after the stack was ready`,
      );

      // What the panels say is what happened.
      assert.deepEqual(await values('sum(filegraph_supergraph_state{state="composed"})'), [1]);
      assert.deepEqual(await values('sum(filegraph_supergraph_subgraphs_missing)'), [0]);
      const postgres = await values('filegraph_dependency_up{dependency="postgres"}');
      assert.deepEqual(postgres, [1, 1, 1], 'two files replicas and one accounts replica');
      assert.ok((await values('sum(filegraph_graphql_errors_total{job="gateway"})'))[0]! > 0);
    },
  );
});
