import { getHeapStatistics } from 'node:v8';

type Collect = (options: {
  type: 'minor' | 'major';
  execution?: 'sync';
  flavor?: 'regular' | 'last-resort';
}) => void;

/** V8's gc(), present when node runs with --expose-gc (scripts/node-service passes it). */
const collect = (globalThis as { gc?: Collect }).gc;

/**
 * File bytes pass through as Buffers whose memory lives outside V8's heap:
 * V8 hardly notices them and collects them late, so a 1 GiB upload or
 * download would swell the process by tens of MiB of dead Buffers. While
 * that memory grows, this asks V8 for a minor collection (a scavenge of a
 * 1 MiB young generation: well under a millisecond) every few MiB, which
 * keeps memory flat whatever the size of the file.
 *
 * Needs `--expose-gc`, which scripts/node-service passes; without it this
 * does nothing and memory is merely less flat.
 */
function collectBufferGarbage(options: { everyBytes?: number; checkMs?: number } = {}): () => void {
  if (!collect) return () => {};
  const everyBytes = options.everyBytes ?? 4 * 2 ** 20;
  let last = getHeapStatistics().external_memory;
  const timer = setInterval(() => {
    const external = getHeapStatistics().external_memory;
    if (external - last < everyBytes) {
      last = Math.min(last, external);
      return;
    }
    collect({ type: 'minor' });
    last = getHeapStatistics().external_memory;
  }, options.checkMs ?? 10);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * After a burst of work V8 keeps the heap pages it grew into, emptied but
 * still resident, until memory runs short, so a process that was busy
 * once stays far above its working size for good (docs/performance.md has
 * the figures). Once the process has been quiet (under 5% of a core) for
 * `idleMs` and its RSS has grown since the last release, one last-resort
 * collection hands those pages back. It runs only when idle, so its pause
 * (tens of ms) delays no request in a burst.
 */
function releaseIdleMemory(
  options: { idleMs?: number; growthBytes?: number; checkMs?: number } = {},
): () => void {
  if (!collect) return () => {};
  const idleMs = options.idleMs ?? 2_000;
  const growthBytes = options.growthBytes ?? 16 * 2 ** 20;
  const checkMs = options.checkMs ?? 500;
  let floor = process.memoryUsage.rss();
  let cpu = process.cpuUsage();
  let quietSince = performance.now();
  const timer = setInterval(() => {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    const now = performance.now();
    if ((used.user + used.system) / 1000 > checkMs * 0.05) quietSince = now;
    if (now - quietSince < idleMs) return;
    const rss = process.memoryUsage.rss();
    if (rss - floor < growthBytes) {
      floor = Math.min(floor, rss);
      return;
    }
    collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    floor = process.memoryUsage.rss();
    cpu = process.cpuUsage();
  }, checkMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * For one long piece of work whose garbage lives across awaits (a report
 * streaming page after page): its rows outlive the young generation and
 * die in the old one, which V8 lets grow with the work. The function this
 * returns, called between steps, runs a full collection (~10 ms) each time
 * heap use has grown by `everyBytes` since the last, so memory stays flat
 * however long the work. Does nothing without `--expose-gc`.
 */
export function collectEvery(everyBytes: number): () => void {
  if (!collect) return () => {};
  const gc = collect;
  let floor = getHeapStatistics().used_heap_size;
  return () => {
    if (getHeapStatistics().used_heap_size - floor <= everyBytes) return;
    gc({ type: 'major', execution: 'sync' });
    floor = getHeapStatistics().used_heap_size;
  };
}

let holders = 0;
let stopWatching: (() => void) | undefined;

/**
 * Keeps a process's memory close to what it uses (both watchers above), once
 * per process however many services it runs (`npm start` runs three); the
 * watchers stop when the last service that asked has stopped.
 */
export function manageMemory(): () => void {
  holders += 1;
  if (holders === 1) {
    const stops = [collectBufferGarbage(), releaseIdleMemory()];
    stopWatching = () => stops.forEach((stop) => stop());
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders -= 1;
    if (holders === 0) stopWatching?.();
  };
}
