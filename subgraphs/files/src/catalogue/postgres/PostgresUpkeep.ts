import type { PostgresDatabase } from '@filegraph/shared/postgres';
import type { KeyUse, Upkeep } from '../Catalogue.ts';
import { toKeyUse, type KeyUseRow } from '../rows.ts';
import { now } from './statements.ts';

/**
 * Dead rows and their bytes, in the distributed catalogue: every replica
 * runs them, and PostgreSQL's locks keep two replicas from doing the same
 * work (see PostgresCatalogue).
 */
export class PostgresUpkeep implements Upkeep {
  readonly #database: PostgresDatabase;

  constructor(database: PostgresDatabase) {
    this.#database = database;
  }

  purgeTrash(before: Date): Promise<number> {
    return this.purge('deleted_at < $1', [before]);
  }

  /** Forgets the files in the trash that `condition` selects; their bytes become garbage, due now. */
  purge(condition: string, params: unknown[]): Promise<number> {
    return this.toGarbage(`DELETE FROM files WHERE ${condition} RETURNING object_key`, params);
  }

  expireWrites(before: Date): Promise<number> {
    return this.toGarbage('DELETE FROM writes WHERE started_at < $1 RETURNING object_key', [
      before,
    ]);
  }

  /** Runs `deleting` (a DELETE … RETURNING object_key) and makes those keys garbage, due now. */
  async toGarbage(deleting: string, params: unknown[]): Promise<number> {
    const { rows } = await this.#database.query<{ count: number }>(
      `WITH gone AS (${deleting}),
            kept AS (INSERT INTO garbage (object_key, due_at) SELECT object_key, ${now} FROM gone
                     ON CONFLICT DO NOTHING)
       SELECT count(*) AS count FROM gone`,
      params,
    );
    return rows[0]?.count ?? 0;
  }

  async *keyUses(): AsyncGenerator<KeyUse> {
    const { rows } = await this.#database.query<KeyUseRow>(
      `SELECT object_key AS key, 'file' AS use, id::text AS id, name FROM files
       UNION ALL SELECT object_key, 'write', NULL, NULL FROM writes
       UNION ALL SELECT object_key, 'garbage', NULL, NULL FROM garbage`,
    );
    for (const row of rows) yield toKeyUse(row);
  }

  async once(task: string, work: () => Promise<void>): Promise<void> {
    const { client, release } = await this.#database.call(() => this.#database.hold());
    try {
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 1))', [task]);
      const { rowCount } = await client.query('SELECT 1 FROM tasks_done WHERE task = $1', [task]);
      if (rowCount !== 0) return;
      await work();
      await client.query(`INSERT INTO tasks_done (task, done_at) VALUES ($1, ${now})`, [task]);
    } finally {
      await client
        .query('SELECT pg_advisory_unlock(hashtextextended($1, 1))', [task])
        .catch(() => {});
      release();
    }
  }

  async sweep(limit: number, remove: (keys: readonly string[]) => Promise<void>): Promise<number> {
    return this.#database.transaction(async (client) => {
      // SKIP LOCKED: replicas sweeping at once take different keys. A key a
      // file still uses (a bug, or a repair) is never handed out.
      const { rows } = await client.query<{ object_key: string }>(
        `SELECT object_key FROM garbage AS g WHERE due_at <= ${now}
           AND NOT EXISTS (SELECT 1 FROM files AS f WHERE f.object_key = g.object_key)
         ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      const keys = rows.map((row) => row.object_key);
      if (keys.length === 0) return 0;
      await remove(keys);
      await client.query('DELETE FROM garbage WHERE object_key = ANY($1::text[])', [keys]);
      return keys.length;
    });
  }
}
