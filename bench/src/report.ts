import type { BenchConfig } from './config.ts';
import { describeMachine, type Machine } from './machine.ts';
import { verdict, type Failure, type Row } from './Row.ts';
import { legend, table } from './table.ts';

/** Everything one `npm run bench` measured. */
export interface BenchRun {
  readonly startedAt: Date;
  readonly seconds: number;
  readonly machine: Machine;
  /** 1-minute load average when the bench ended (other work on a shared machine skews every row). */
  readonly loadAtEnd: number;
  readonly config: BenchConfig;
  readonly scenarios: readonly string[];
  readonly rows: readonly Row[];
  readonly failures: readonly Failure[];
  readonly notes: readonly string[];
  readonly details: Readonly<Record<string, unknown>>;
}

/** The printed report: where and how it ran, the table, what each baseline was, notes. */
export function report(run: BenchRun, files: { json: string; log: string }): string {
  const { config, rows, failures, notes } = run;
  const sizes =
    config.scale === 1
      ? 'full sizes'
      : `BENCH_SCALE=${config.scale}: a smoke run, not comparable with the targets`;
  const met = rows.filter((row) => verdict(row).pass === true).length;
  const judged = rows.filter((row) => verdict(row).pass !== undefined).length;
  const failed =
    failures.length > 0 ? `; ${failures.length} scenario(s) could not be measured` : '';
  return [
    `filegraph bench, ${run.startedAt.toISOString()}`,
    `machine: ${describeMachine(run.machine)}, ${run.loadAtEnd.toFixed(2)} at the end`,
    `${sizes}; medians of ${config.runs} runs after a warm-up; took ${Math.round(run.seconds)} s`,
    '',
    table(rows, failures),
    '',
    'baselines:',
    legend(rows),
    ...(notes.length > 0 ? ['', 'notes:', ...notes.map((note) => `- ${note}`)] : []),
    '',
    `${met} of ${judged} targets met${failed}`,
    `JSON: ${files.json}, service logs: ${files.log}`,
  ].join('\n');
}

export function reportJson(run: BenchRun): string {
  const { startedAt, rows, ...rest } = run;
  const json = {
    date: startedAt.toISOString(),
    ...rest,
    rows: rows.map((row) => ({ ...row, ...verdict(row) })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
