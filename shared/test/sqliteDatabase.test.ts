import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const opener = new URL('./fixtures/openSqlite.ts', import.meta.url).pathname;

/** Opens `path` at `at` in a process of its own, as a replica starting does. */
async function openIn(path: string, at: number): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [opener, path, String(at)], {
    timeout: 30_000,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '{}' }));
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('a SQLite store opened by several processes', () => {
  it('when processes open one new file at the same moment, then every one opens it in WAL mode with every step applied', async () => {
    const data = await mkdtemp(join(tmpdir(), 'filegraph-sqlite-open-'));
    try {
      // Switching a new file to WAL from several processes at once can answer one of them
      // "database is locked" without waiting: here about one round in fifteen did.
      for (let round = 0; round < 20; round += 1) {
        const path = join(data, `round-${round}.db`);
        const at = Date.now() + 400;
        const opened = await Promise.all([openIn(path, at), openIn(path, at), openIn(path, at)]);
        assert.deepEqual(opened, Array(3).fill({ mode: 'wal', version: 2 }), `round ${round}`);
      }
    } finally {
      await rm(data, { recursive: true, force: true });
    }
  });
});
