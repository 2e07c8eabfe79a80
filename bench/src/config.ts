import { kinds, readConfig, setting, type Env } from '@filegraph/shared/config';

/** A number in (0, 1]: how much of the full sizes a run uses. */
const fraction = {
  expected: 'a number greater than 0 and at most 1, e.g. 0.01',
  parse: (raw: string) => {
    const n = Number(raw);
    return /^\d*\.?\d+$/.test(raw) && n > 0 && n <= 1 ? n : undefined;
  },
};

export const benchSettings = {
  scale: setting(
    'BENCH_SCALE',
    'Scales every size, count and duration down for a quick smoke run (1: the sizes the targets are for)',
    fraction,
    '1',
  ),
  runs: setting(
    'BENCH_RUNS',
    'Measured runs per scenario after the warm-up; medians are taken over them',
    kinds.integer(1, 100),
    '3',
  ),
};

export interface BenchConfig {
  readonly scale: number;
  readonly runs: number;
  /** Sizes and counts after scaling; the full ones are those the targets are written for. */
  readonly sizes: {
    readonly largeFile: number;
    readonly smallFile: number;
    readonly smallFiles: number;
    readonly smallConcurrency: number;
    readonly memoryFile: number;
    readonly downloadFile: number;
    readonly listingFiles: number;
    readonly querySeconds: number;
  };
}

const mib = 2 ** 20;

function scaled(full: number, scale: number, least: number): number {
  return Math.max(least, Math.round(full * scale));
}

export function loadBenchConfig(env: Env): BenchConfig {
  const { scale, runs } = readConfig(benchSettings, env);
  return {
    scale,
    runs,
    sizes: {
      largeFile: scaled(256 * mib, scale, mib),
      smallFile: 10 * 1024,
      smallFiles: scaled(1_000, scale, 32),
      smallConcurrency: 16,
      memoryFile: scaled(1024 * mib, scale, 8 * mib),
      downloadFile: scaled(256 * mib, scale, mib),
      listingFiles: scaled(100_000, scale, 200),
      querySeconds: scaled(5, scale, 1),
    },
  };
}
