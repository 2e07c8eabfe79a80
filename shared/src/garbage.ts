import { getHeapStatistics } from 'node:v8';

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
export function collectBufferGarbage(
  options: { everyBytes?: number; checkMs?: number } = {},
): () => void {
  const collect = (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc;
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
