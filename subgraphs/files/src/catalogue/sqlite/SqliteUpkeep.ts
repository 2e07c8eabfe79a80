import type { SQLInputValue, StatementSync } from 'node:sqlite';
import type { KeyUse, Upkeep } from '../Catalogue.ts';
import { toKeyUse, type KeyUseRow } from '../rows.ts';
import type { SqliteShares } from './SqliteShares.ts';

type Run = (sql: string) => StatementSync;

/** These bytes may be deleted from `dueAt` on (ms since 1970), unless they are garbage already. */
export function markGarbage(run: Run, key: string, dueAt: number): void {
  run('INSERT INTO garbage (object_key, due_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(
    key,
    dueAt,
  );
}

/** Dead rows and their bytes, in the embedded catalogue (see SqliteCatalogue). */
export class SqliteUpkeep implements Upkeep {
  readonly #run: Run;
  readonly #transaction: <T>(work: () => T) => T;
  readonly #shares: SqliteShares;

  constructor(run: Run, transaction: <T>(work: () => T) => T, shares: SqliteShares) {
    this.#run = run;
    this.#transaction = transaction;
    this.#shares = shares;
  }

  async purgeTrash(before: Date): Promise<number> {
    return this.purge('deleted_at < ?', [before.getTime()]);
  }

  /** Forgets the files in the trash that `condition` selects, and their links; their bytes become garbage, due now. */
  purge(condition: string, params: SQLInputValue[]): number {
    return this.#transaction(() => {
      const gone = this.#run(`DELETE FROM files WHERE ${condition} RETURNING id, object_key`).all(
        ...params,
      ) as Array<{ id: string; object_key: string }>;
      const now = Date.now();
      for (const row of gone) {
        markGarbage(this.#run, row.object_key, now);
        this.#shares.forgetFile(row.id);
      }
      return gone.length;
    });
  }

  async expireWrites(before: Date): Promise<number> {
    return this.#transaction(() =>
      this.toGarbage('DELETE FROM writes WHERE started_at < ? RETURNING object_key', [
        before.getTime(),
      ]),
    );
  }

  /**
   * Runs `deleting` (a DELETE … RETURNING object_key) and makes those keys
   * garbage, due now, in the caller's transaction; returns how many.
   */
  toGarbage(deleting: string, params: SQLInputValue[]): number {
    const gone = this.#run(deleting).all(...params) as Array<{ object_key: string }>;
    const now = Date.now();
    for (const row of gone) markGarbage(this.#run, row.object_key, now);
    return gone.length;
  }

  async *keyUses(): AsyncGenerator<KeyUse> {
    const rows = this.#run(
      `SELECT object_key AS key, 'file' AS use, id, name FROM files
       UNION ALL SELECT object_key, 'write', NULL, NULL FROM writes
       UNION ALL SELECT object_key, 'garbage', NULL, NULL FROM garbage`,
    ).all() as unknown as KeyUseRow[];
    for (const row of rows) yield toKeyUse(row);
  }

  async once(task: string, work: () => Promise<void>): Promise<void> {
    if (this.#run('SELECT 1 FROM tasks_done WHERE task = ?').get(task)) return;
    await work();
    this.#run('INSERT OR IGNORE INTO tasks_done (task, done_at) VALUES (?, ?)').run(
      task,
      Date.now(),
    );
  }

  async sweep(limit: number, remove: (keys: readonly string[]) => Promise<void>): Promise<number> {
    const rows = this.#run(
      `SELECT object_key FROM garbage AS g WHERE due_at <= ?
         AND NOT EXISTS (SELECT 1 FROM files AS f WHERE f.object_key = g.object_key)
       ORDER BY due_at LIMIT ?`,
    ).all(Date.now(), limit) as Array<{ object_key: string }>;
    const keys = rows.map((row) => row.object_key);
    if (keys.length === 0) return 0;
    await remove(keys);
    const forget = this.#run('DELETE FROM garbage WHERE object_key = ?');
    for (const key of keys) forget.run(key);
    return keys.length;
  }
}
