/**
 * `npm run bench [-- scenario …]`: how much filegraph adds on top of the
 * storage it sits on, each row against a baseline measured in this same
 * run. Prints one table and writes it as JSON to bench/results/.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { configOrExit } from '@filegraph/shared/config';
import { BenchContext } from './src/BenchContext.ts';
import { loadBenchConfig } from './src/config.ts';
import { machine } from './src/machine.ts';
import { report, reportJson, type BenchRun } from './src/report.ts';
import type { Failure, Row } from './src/Row.ts';
import { scenarios } from './src/scenarios/index.ts';

const config = configOrExit(() => loadBenchConfig(process.env));
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !scenarios.some((s) => s.name === name));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown scenario ${unknown.join(', ')}; choose from: ${scenarios.map((s) => s.name).join(', ')}\n`,
  );
  process.exit(2);
}
const selected = asked.length === 0 ? scenarios : scenarios.filter((s) => asked.includes(s.name));

const startedAt = new Date();
const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
const results = fileURLToPath(new URL('./results/', import.meta.url));
await mkdir(results, { recursive: true });
const bench = new BenchContext(config, `${results}${stamp}.log`);

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping everything the bench started …\n`);
    void bench.close().finally(() => process.exit(130));
  });
}

const host = machine();
const rows: Row[] = [];
const failures: Failure[] = [];
const notes: string[] = [];
const details: Record<string, unknown> = {};
try {
  for (const scenario of selected) {
    if (interrupted) break;
    if (scenario.alone) await bench.stopSharedStack();
    try {
      const result = await scenario.run(bench);
      rows.push(...result.rows);
      notes.push(...(result.notes ?? []));
      if (result.details) details[scenario.name] = result.details;
    } catch (error) {
      if (interrupted) break;
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ scenario: scenario.name, error: message });
      bench.progress(scenario.name, `failed: ${message}`);
    }
  }
} finally {
  await bench.close();
}

const run: BenchRun = {
  startedAt,
  seconds: (Date.now() - startedAt.getTime()) / 1000,
  machine: host,
  loadAtEnd: loadavg()[0] ?? 0,
  config,
  scenarios: selected.map((s) => s.name),
  rows,
  failures,
  notes,
  details,
};
await writeFile(`${results}${stamp}.json`, reportJson(run));
const files = { json: `bench/results/${stamp}.json`, log: `bench/results/${stamp}.log` };
process.stdout.write(`${report(run, files)}\n`);
// A missed target is a result; only a scenario that could not be measured fails the run.
process.exitCode = failures.length > 0 ? 1 : 0;
