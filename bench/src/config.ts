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
    /** A dropped folder of small files, sent in the web UI's batches. */
    readonly smallFolderFiles: number;
    readonly smallConcurrency: number;
    readonly memoryFile: number;
    readonly downloadFile: number;
    /** The catalogue's sizes, measured one after the other (rows written straight into PostgreSQL). */
    readonly catalogueFiles: readonly number[];
    /** The file renamed by the rename scenario. */
    readonly renameFile: number;
    /** The folder moved by the rename scenario. */
    readonly moveFolderFiles: number;
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
      smallFolderFiles: scaled(10_000, scale, 100),
      smallConcurrency: 16,
      memoryFile: scaled(1024 * mib, scale, 8 * mib),
      downloadFile: scaled(256 * mib, scale, mib),
      catalogueFiles: [scaled(100_000, scale, 1_000), scaled(1_000_000, scale, 10_000)],
      renameFile: scaled(1024 * mib, scale, 8 * mib),
      moveFolderFiles: scaled(10_000, scale, 100),
      querySeconds: scaled(5, scale, 1),
    },
  };
}
