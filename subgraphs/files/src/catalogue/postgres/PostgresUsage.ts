import type { PostgresDatabase } from '@filegraph/shared/postgres';
import type {
  FileRecord,
  InventoryCursor,
  StoredUsage,
  UsageGroup,
  UsageStore,
  UsageTotals,
} from '../Catalogue.ts';
import { usageTotalsOf } from '../usage.ts';
import { columns, toRecord, type Row } from './rows.ts';

/** The usage report's reads and its cached summary, in the distributed catalogue (see PostgresCatalogue). */
export class PostgresUsage implements UsageStore {
  readonly #database: PostgresDatabase;

  constructor(database: PostgresDatabase) {
    this.#database = database;
  }

  async inventory(after: InventoryCursor | undefined, limit: number): Promise<FileRecord[]> {
    // (owner, name) is the live-name index: each page is one range of it.
    const { rows } = after
      ? await this.#database.query<Row>(
          `SELECT ${columns} FROM files WHERE deleted_at IS NULL AND (owner, name) > ($1::uuid, $2)
           ORDER BY owner, name LIMIT $3`,
          [after.owner, after.name, limit],
        )
      : await this.#database.query<Row>(
          `SELECT ${columns} FROM files WHERE deleted_at IS NULL ORDER BY owner, name LIMIT $1`,
          [limit],
        );
    return rows.map(toRecord);
  }

  async totals(): Promise<UsageTotals> {
    const groups = (column: string) =>
      this.#database.query<UsageGroup>(
        `SELECT ${column}::text AS key, count(*)::float8 AS files, coalesce(sum(size), 0)::float8 AS bytes
         FROM files WHERE deleted_at IS NULL GROUP BY ${column} ORDER BY bytes DESC, key`,
      );
    const [byType, byOwner] = await Promise.all([groups('content_type'), groups('owner')]);
    return usageTotalsOf(byType.rows, byOwner.rows);
  }

  async stored(): Promise<StoredUsage | undefined> {
    const { rows } = await this.#database.query<{ computed_at: Date; figures: string }>(
      'SELECT computed_at, figures FROM usage_summary WHERE id = 1',
    );
    const row = rows[0];
    return row && { computedAt: row.computed_at, figures: row.figures };
  }

  async store(usage: StoredUsage): Promise<void> {
    await this.#database.query(
      `INSERT INTO usage_summary (id, computed_at, figures) VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET computed_at = excluded.computed_at, figures = excluded.figures
       WHERE usage_summary.computed_at < excluded.computed_at`,
      [usage.computedAt, usage.figures],
    );
  }
}
