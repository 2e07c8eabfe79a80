import { setTimeout as sleep } from 'node:timers/promises';
import { startVictoriaLogs } from '@filegraph/processes/victoriaLogs';
import { tempDir } from '@filegraph/testing/temp';
import {
  answersFilesQueries,
  signInAdmin,
  startBenchStack,
  type SignedIn,
} from '../BenchContext.ts';
import { dataOf, postGraphql } from '../http.ts';
import { pairedSamples } from '../measure.ts';
import type { Scenario } from '../Scenario.ts';
import { median, percentile } from '../stats.ts';
import type { Stack } from '@filegraph/scripts/stack';

// Both catalogues are empty: both stacks give the same answer, from the same work.
const query = '{ files(first: 10) { nodes { id name } } }';

/** A counter summed over its labels, from a service's /metrics. */
async function counter(url: string, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const match of text.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`, 'gm')))
    if ((match[1] ?? '').includes(labels)) total += Number(match[2]);
  return total;
}

export const logShipping: Scenario = {
  name: 'logs',
  about:
    'a query through the gateway with every service shipping its log lines to VictoriaLogs (LOGS_URL, HAProxy by syslog), against the same stack without',
  // Two stacks and VictoriaLogs side by side: nothing else should run meanwhile.
  alone: true,
  async run(bench) {
    const progress = (message: string) => bench.progress('logs', message);
    const data = await tempDir('bench-victorialogs');
    bench.cleanup(() => data.remove());
    const logs = await startVictoriaLogs(data.path);
    bench.cleanup(() => logs.stop());
    progress('starting a stack without LOGS_URL and one with it');
    const plain = await startBenchStack(bench.logger);
    bench.cleanup(() => plain.stop());
    const shipping = await startBenchStack(bench.logger, {
      LOGS_URL: logs.url,
      LOGS_SYSLOG: logs.syslog,
    });
    bench.cleanup(() => shipping.stop());
    const signedIn = async (stack: Stack) => {
      const admin = await signInAdmin(stack);
      await answersFilesQueries(stack, admin);
      return admin;
    };
    const [plainAdmin, shippingAdmin] = await Promise.all([
      signedIn(plain.stack),
      signedIn(shipping.stack),
    ]);
    const ask = (stack: Stack, admin: SignedIn) => async () => {
      const answer = await postGraphql(
        `${stack.url}/graphql`,
        query,
        {},
        {
          headers: admin.headers(),
        },
      );
      dataOf(answer, stack.url);
      return answer.ms;
    };

    const count = Math.max(50, Math.round(500 * bench.config.scale));
    const shippedBefore = await counter(shipping.stack.url, 'filegraph_log_lines_shipped_total');
    const p50 = { baseline: [] as number[], filegraph: [] as number[] };
    const p99 = { baseline: [] as number[], filegraph: [] as number[] };
    for (let run = 1; run <= bench.config.runs; run += 1) {
      progress(`run ${run}/${bench.config.runs}: ${count} queries to each, taking turns`);
      const samples = await pairedSamples(count, 20, {
        baseline: ask(plain.stack, plainAdmin),
        filegraph: ask(shipping.stack, shippingAdmin),
      });
      p50.baseline.push(percentile(samples.baseline, 50));
      p50.filegraph.push(percentile(samples.filegraph, 50));
      p99.baseline.push(percentile(samples.baseline, 99));
      p99.filegraph.push(percentile(samples.filegraph, 99));
    }

    // What was measured is a shipper that works: the lines reached VictoriaLogs, none dropped
    // (the last ones once their batch has gone: a second after they were logged).
    await sleep(1_500);
    const queries = bench.config.runs * (count + 20);
    const shipped =
      (await counter(shipping.stack.url, 'filegraph_log_lines_shipped_total')) - shippedBefore;
    const dropped = await counter(shipping.stack.url, 'filegraph_log_lines_dropped_total');
    if (shipped < queries || dropped > 0)
      throw new Error(
        `the gateway shipped ${shipped} lines and dropped ${dropped} for ${queries} queries`,
      );
    const baselineIs = 'the same query to the same stack started without LOGS_URL and LOGS_SYSLOG';
    return {
      rows: [
        {
          scenario: 'logs',
          name: 'query files(first: 10), 1 connection, p50, logs shipped',
          unit: 'ms',
          baselineIs,
          baseline: median(p50.baseline),
          filegraph: median(p50.filegraph),
          target: { kind: 'max-added', value: 0.5 },
          samples: p50,
        },
        {
          scenario: 'logs',
          name: 'query files(first: 10), 1 connection, p99, logs shipped',
          unit: 'ms',
          baselineIs,
          baseline: median(p99.baseline),
          filegraph: median(p99.filegraph),
          target: { kind: 'none' },
          samples: p99,
        },
      ],
      notes: [
        `logs: the gateway shipped ${shipped} lines for ${queries} queries (${(shipped / queries).toFixed(2)} a query), none dropped`,
      ],
    };
  },
};
