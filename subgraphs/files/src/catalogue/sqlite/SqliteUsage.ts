import type { StatementSync } from 'node:sqlite';
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

/** The usage report's reads and its cached summary, in the embedded catalogue (see SqliteCatalogue). */
export class SqliteUsage implements UsageStore {
  readonly #run: (sql: string) => StatementSync;

  constructor(run: (sql: string) => StatementSync) {
    this.#run = run;
  }

  async inventory(after: InventoryCursor | undefined, limit: number): Promise<FileRecord[]> {
    // (owner, name) is the live-name index: each page is one range of it.
    const rows = (after
      ? this.#run(
          `SELECT ${columns} FROM files WHERE deleted_at IS NULL AND (owner, name) > (?, ?)
             ORDER BY owner, name LIMIT ?`,
        ).all(after.owner, after.name, limit)
      : this.#run(
          `SELECT ${columns} FROM files WHERE deleted_at IS NULL ORDER BY owner, name LIMIT ?`,
        ).all(limit)) as unknown as Row[];
    return rows.map(toRecord);
  }

  async totals(): Promise<UsageTotals> {
    const groups = (column: string) =>
      this.#run(
        `SELECT ${column} AS key, count(*) AS files, coalesce(sum(size), 0) AS bytes
         FROM files WHERE deleted_at IS NULL GROUP BY ${column} ORDER BY bytes DESC, key`,
      ).all() as unknown as UsageGroup[];
    return usageTotalsOf(groups('content_type'), groups('owner'));
  }

  async stored(): Promise<StoredUsage | undefined> {
    const row = this.#run('SELECT computed_at, figures FROM usage_summary WHERE id = 1').get() as
      { computed_at: number; figures: string } | undefined;
    return row && { computedAt: new Date(row.computed_at), figures: row.figures };
  }

  async store(usage: StoredUsage): Promise<void> {
    this.#run(
      `INSERT INTO usage_summary (id, computed_at, figures) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET computed_at = excluded.computed_at, figures = excluded.figures
       WHERE usage_summary.computed_at < excluded.computed_at`,
    ).run(usage.computedAt.getTime(), usage.figures);
  }
}
