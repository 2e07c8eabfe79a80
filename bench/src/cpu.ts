import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Stack } from '@filegraph/scripts/stack';
import { median } from './stats.ts';

/** CPU seconds used so far, by part of the stack (each process with its children) and by the bench. */
export type CpuUse = Record<string, number>;

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux everywhere). */
const ticks = 100;

/** pid → [ppid, user + system ticks] of every process now. */
async function processes(): Promise<Map<number, [number, number]>> {
  const table = new Map<number, [number, number]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command (which may hold spaces): state, ppid, … utime (14th), stime (15th).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), [Number(fields[1]), Number(fields[11]) + Number(fields[12])]);
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

function treeTicks(table: Map<number, [number, number]>, root: number): number {
  let sum = table.get(root)?.[1] ?? 0;
  for (const [pid, [ppid]] of table) if (ppid === root) sum += treeTicks(table, pid);
  return sum;
}

/**
 * CPU time of each part of the stack (PostgreSQL with its backends, the
 * files replicas together …) and of the bench itself: two readings around
 * a run show where that run's CPU went. Processes that exited between the
 * readings are not counted.
 */
export async function cpuUse(stack: Stack): Promise<CpuUse> {
  const table = await processes();
  const parts: Record<string, ReadonlyArray<Stack['gateway']>> = {
    gateway: [stack.gateway],
    haproxy: [stack.haproxy],
    files: stack.files,
    postgres: [stack.postgres],
    minio: [stack.minio],
  };
  const use: CpuUse = {};
  for (const [part, services] of Object.entries(parts)) {
    let sum = 0;
    for (const service of services) sum += treeTicks(table, service.process.pid);
    use[part] = sum / ticks;
  }
  const own = process.cpuUsage();
  use.bench = (own.user + own.system) / 1e6;
  return use;
}

/**
 * What each part used between two readings, less what it uses at rest
 * over as long (`rest`: CPU seconds per second), times `scale` (1000 /
 * files: per 1,000 files).
 */
export function cpuBetween(
  before: CpuUse,
  after: CpuUse,
  options: { seconds: number; rest?: CpuUse; scale?: number },
): CpuUse {
  const { seconds, rest = {}, scale = 1 } = options;
  return Object.fromEntries(
    Object.entries(after).map(([part, used]) => [
      part,
      (used - (before[part] ?? 0) - (rest[part] ?? 0) * seconds) * scale,
    ]),
  );
}

/**
 * CPU seconds per second each part uses when nothing is asked of it (health
 * checks, Consul, the sweeper …), read over `ms` of quiet.
 */
export async function cpuAtRest(stack: Stack, ms: number): Promise<CpuUse> {
  const before = await cpuUse(stack);
  const started = performance.now();
  await sleep(ms);
  const after = await cpuUse(stack);
  const seconds = (performance.now() - started) / 1000;
  return cpuBetween(before, after, { seconds: 0, scale: 1 / seconds });
}

/** "gateway 2.4 s, files 4.1 s, …", parts that used under 0.05 s left out. */
export function describeCpu(use: CpuUse): string {
  return Object.entries(use)
    .filter(([, seconds]) => seconds >= 0.05)
    .map(([part, seconds]) => `${part} ${seconds.toFixed(1)} s`)
    .join(', ');
}

/** The median of each part over several runs. */
export function medianCpu(runs: readonly CpuUse[]): CpuUse {
  const parts = Object.keys(runs[0] ?? {});
  return Object.fromEntries(parts.map((part) => [part, median(runs.map((run) => run[part] ?? 0))]));
}
