import type { Writable } from 'node:stream';

/**
 * Resolves once `out` wants more (at once when it does already), or when it
 * is closed: the report writes a page, then waits here, so a slow client
 * slows the report instead of filling memory.
 */
export function drained(out: Writable): Promise<void> {
  if (!out.writableNeedDrain || out.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}
