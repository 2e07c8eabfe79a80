import { randomUUID } from 'node:crypto';
import type { StatementSync } from 'node:sqlite';
import { throttleRetryAt, type Attempt, type ThrottlePolicy } from '@filegraph/shared/throttle';
import type { FileRecord, NewShare, ShareRecord, ShareStore } from '../Catalogue.ts';
import { noSuchFile } from '../refusals.ts';
import { columns, shareColumns, toRecord, toShare, type Row, type ShareRow } from './rows.ts';

/** Share links in the embedded catalogue's database (see SqliteCatalogue). */
export class SqliteShares implements ShareStore {
  readonly #run: (sql: string) => StatementSync;
  readonly #transaction: <T>(work: () => T) => T;

  constructor(run: (sql: string) => StatementSync, transaction: <T>(work: () => T) => T) {
    this.#run = run;
    this.#transaction = transaction;
  }

  async create(share: NewShare): Promise<ShareRecord> {
    return this.#transaction(() => {
      const live = this.#run('SELECT 1 FROM files WHERE id = ? AND deleted_at IS NULL').get(
        share.fileId,
      );
      if (!live) throw noSuchFile();
      return toShare(
        this.#run(
          `INSERT INTO share_links (id, token_hash, file_id, created_by, password_hash, expires_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${shareColumns}`,
        ).get(
          randomUUID(),
          share.tokenHash,
          share.fileId,
          share.createdBy,
          share.passwordHash ?? null,
          share.expiresAt.getTime(),
          Date.now(),
        ) as unknown as ShareRow,
      );
    });
  }

  async open(
    tokenHash: string,
    now: Date,
  ): Promise<{ share: ShareRecord; file: FileRecord } | undefined> {
    const share = this.#run(
      `SELECT ${shareColumns} FROM share_links WHERE token_hash = ? AND expires_at > ?`,
    ).get(tokenHash, now.getTime()) as ShareRow | undefined;
    if (!share) return undefined;
    const file = this.#run(`SELECT ${columns} FROM files WHERE id = ? AND deleted_at IS NULL`).get(
      share.file_id,
    ) as Row | undefined;
    return file && { share: toShare(share), file: toRecord(file) };
  }

  async list(filter: { createdBy?: string; fileId?: string }): Promise<ShareRecord[]> {
    const rows =
      filter.fileId !== undefined
        ? this.#run(
            `SELECT ${shareColumns} FROM share_links WHERE file_id = ? ORDER BY created_at DESC, id`,
          ).all(filter.fileId)
        : this.#run(
            `SELECT ${shareColumns} FROM share_links WHERE created_by = ? ORDER BY created_at DESC, id`,
          ).all(filter.createdBy ?? '');
    return (rows as unknown as ShareRow[]).map(toShare);
  }

  async get(id: string): Promise<ShareRecord | undefined> {
    const row = this.#run(`SELECT ${shareColumns} FROM share_links WHERE id = ?`).get(id) as
      ShareRow | undefined;
    return row && toShare(row);
  }

  async revoke(id: string): Promise<boolean> {
    return Number(this.#run('DELETE FROM share_links WHERE id = ?').run(id).changes) > 0;
  }

  /** Read and count in one transaction: nothing else in the process runs in between. */
  async attempt(id: string, now: Date, policy: ThrottlePolicy): Promise<Attempt> {
    const at = now.getTime();
    return this.#transaction((): Attempt => {
      const row = this.#run('SELECT failures, last_failure_at FROM share_links WHERE id = ?').get(
        id,
      ) as { failures: number; last_failure_at: number | null } | undefined;
      if (!row) return { allowed: false, retryAt: at + 1 };
      const lastAt = row.last_failure_at ?? undefined;
      const retryAt = throttleRetryAt(row.failures, lastAt, at, policy);
      if (retryAt > at) return { allowed: false, retryAt };
      const fresh = lastAt === undefined || lastAt <= at - policy.forgetMs;
      this.#run('UPDATE share_links SET failures = ?, last_failure_at = ? WHERE id = ?').run(
        fresh ? 1 : row.failures + 1,
        at,
        id,
      );
      return { allowed: true };
    });
  }

  async forgive(id: string): Promise<void> {
    this.#run(
      'UPDATE share_links SET failures = 0, last_failure_at = NULL WHERE id = ? AND failures > 0',
    ).run(id);
  }

  /** A file went to the trash or was purged: its links die with it (inside the catalogue's transaction). */
  forgetFile(fileId: string): void {
    this.#run('DELETE FROM share_links WHERE file_id = ?').run(fileId);
  }
}
