import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { startService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { startBenchStack } from '../BenchContext.ts';
import type { BenchContext } from '../BenchContext.ts';
import { postGraphql } from '../http.ts';
import type { Scenario } from '../Scenario.ts';
import { median } from '../stats.ts';

/** Polls until the gateway answers `{ __typename }`: ready means serving queries, not just listening. */
async function answersTypename(url: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      const answer = await postGraphql<{ __typename: string }>(`${url}/graphql`, '{ __typename }');
      if (answer.data?.__typename === 'Query') return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer { __typename } in time`);
    await sleep(10);
  }
}

/** A bare Node HTTP server, from spawn until it answers: the floor for any Node service. */
async function bareNode(): Promise<number> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '-e',
      "require('node:http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', function () { console.log(this.address().port) })",
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const response = await fetch(`http://127.0.0.1:${line.trim()}/`);
    if ((await response.text()) !== 'ok') throw new Error('the bare node server answered wrong');
    return performance.now() - started;
  } finally {
    child.kill();
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  }
}

/** `npm start`'s process (the embedded default, files on disk), from spawn until it answers. */
async function embedded(bench: BenchContext): Promise<number> {
  const data = await tempDir('bench-embedded');
  const remove = bench.cleanup(() => data.remove());
  const started = performance.now();
  const service = await startService('embedded', { DATA_DIR: data.path }, { timeoutMs: 60_000 });
  const stop = bench.cleanup(() => service.stop());
  try {
    await answersTypename(service.url, Date.now() + 60_000);
    return performance.now() - started;
  } finally {
    await stop();
    await remove();
  }
}

/** The whole native stack, from the first spawn until the gateway answers. */
async function nativeStack(bench: BenchContext): Promise<number> {
  const started = performance.now();
  const { stack, stop } = await startBenchStack(bench.logger);
  const stopStack = bench.cleanup(stop);
  try {
    await answersTypename(stack.url, Date.now() + 120_000);
    return performance.now() - started;
  } finally {
    await stopStack();
  }
}

export const startup: Scenario = {
  name: 'startup',
  about: 'time from start until the gateway answers { __typename }',
  alone: true,
  async run(bench) {
    const { runs } = bench.config;
    const progress = (message: string) => bench.progress('startup', message);
    const times = { node: [] as number[], embedded: [] as number[], stack: [] as number[] };
    // The warm-up round fills Node's compile cache, as every start but the very first finds it.
    const warmUp = { embedded: 0, stack: 0 };
    for (let round = 0; round <= runs; round += 1) {
      progress(round === 0 ? 'warm-up' : `run ${round}/${runs}`);
      const node = await bareNode();
      const one = await embedded(bench);
      const all = await nativeStack(bench);
      if (round === 0) {
        warmUp.embedded = one;
        warmUp.stack = all;
        continue;
      }
      times.node.push(node);
      times.embedded.push(one);
      times.stack.push(all);
    }
    const baselineIs = 'a bare `node -e` HTTP server, from spawn until it answers';
    return {
      rows: [
        {
          scenario: 'startup',
          name: 'start-up: embedded default (npm start)',
          unit: 'ms',
          baselineIs,
          baseline: median(times.node),
          filegraph: median(times.embedded),
          target: { kind: 'max', value: 3_000 },
          samples: { baseline: times.node, filegraph: times.embedded },
        },
        {
          scenario: 'startup',
          name: 'start-up: native stack (npm run stack)',
          unit: 'ms',
          baselineIs,
          baseline: median(times.node),
          filegraph: median(times.stack),
          target: { kind: 'max', value: 30_000 },
          samples: { baseline: times.node, filegraph: times.stack },
        },
      ],
      notes: [
        `startup: warm-up round (compile cache filled): embedded ${Math.round(warmUp.embedded)} ms, native stack ${(warmUp.stack / 1000).toFixed(1)} s`,
      ],
      details: { 'warm-up round (ms)': warmUp },
    };
  },
};
