import { randomUUID } from 'node:crypto';
import type { PostgresDatabase } from '@filegraph/shared/postgres';
import { throttleDelays, type Attempt, type ThrottlePolicy } from '@filegraph/shared/throttle';
import type { FileRecord, NewShare, ShareRecord, ShareStore } from '../Catalogue.ts';
import { isFileId } from '../ids.ts';
import { noSuchFile } from '../refusals.ts';
import { columns, shareColumns, toRecord, toShare, type Row, type ShareRow } from './rows.ts';
import { now } from './statements.ts';

/**
 * Share links in the distributed catalogue (see PostgresCatalogue): a
 * link's row goes when its file is trashed (there) or purged (the foreign
 * key cascades).
 */
export class PostgresShares implements ShareStore {
  readonly #database: PostgresDatabase;

  constructor(database: PostgresDatabase) {
    this.#database = database;
  }

  async create(share: NewShare): Promise<ShareRecord> {
    if (!isFileId(share.fileId)) throw noSuchFile();
    // One statement: the file is live when the link is made, or no row is.
    const { rows } = await this.#database.query<ShareRow>(
      `INSERT INTO share_links (id, token_hash, file_id, created_by, password_hash, expires_at, created_at)
         SELECT $1, $2, f.id, $4, $5, $6, ${now}
         FROM files AS f WHERE f.id = $3 AND f.deleted_at IS NULL
         RETURNING ${shareColumns}`,
      [
        randomUUID(),
        share.tokenHash,
        share.fileId,
        share.createdBy,
        share.passwordHash ?? null,
        share.expiresAt,
      ],
    );
    const row = rows[0];
    if (!row) throw noSuchFile();
    return toShare(row);
  }

  async open(
    tokenHash: string,
    now: Date,
  ): Promise<{ share: ShareRecord; file: FileRecord } | undefined> {
    const { rows: shares } = await this.#database.query<ShareRow>(
      `SELECT ${shareColumns} FROM share_links WHERE token_hash = $1 AND expires_at > $2`,
      [tokenHash, now],
    );
    const share = shares[0];
    if (!share) return undefined;
    const { rows: files } = await this.#database.query<Row>(
      `SELECT ${columns} FROM files WHERE id = $1 AND deleted_at IS NULL`,
      [share.file_id],
    );
    return files[0] && { share: toShare(share), file: toRecord(files[0]) };
  }

  async list(filter: { createdBy?: string; fileId?: string }): Promise<ShareRecord[]> {
    const [column, value] =
      filter.fileId !== undefined ? ['file_id', filter.fileId] : ['created_by', filter.createdBy];
    if (!isFileId(value ?? '')) return [];
    const { rows } = await this.#database.query<ShareRow>(
      `SELECT ${shareColumns} FROM share_links WHERE ${column} = $1 ORDER BY created_at DESC, id`,
      [value],
    );
    return rows.map(toShare);
  }

  async get(id: string): Promise<ShareRecord | undefined> {
    if (!isFileId(id)) return undefined;
    const { rows } = await this.#database.query<ShareRow>(
      `SELECT ${shareColumns} FROM share_links WHERE id = $1`,
      [id],
    );
    return rows[0] && toShare(rows[0]);
  }

  async revoke(id: string): Promise<boolean> {
    if (!isFileId(id)) return false;
    const { rowCount } = await this.#database.query('DELETE FROM share_links WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  }

  /**
   * One statement, so replicas never both let a guess through on one
   * count: the row is counted only when the wait after its failures so far
   * (the policy's table, indexed by them) has passed.
   */
  async attempt(id: string, now: Date, policy: ThrottlePolicy): Promise<Attempt> {
    if (!isFileId(id)) return { allowed: false, retryAt: now.getTime() + 1 };
    const delays = throttleDelays(policy);
    const last = delays.length - 1;
    const wait = `($3::bigint[])[least(s.failures, $4::int) + 1] * interval '1 millisecond'`;
    const forgotten = `s.last_failure_at <= $2::timestamptz - $5::bigint * interval '1 millisecond'`;
    const counted = await this.#database.query(
      `UPDATE share_links AS s
         SET failures = CASE WHEN s.last_failure_at IS NULL OR ${forgotten} THEN 1 ELSE s.failures + 1 END,
             last_failure_at = $2
         WHERE s.id = $1
           AND (s.last_failure_at IS NULL OR ${forgotten} OR s.last_failure_at + ${wait} <= $2)
         RETURNING s.failures`,
      [id, now, delays, last, policy.forgetMs],
    );
    if (counted.rowCount !== 0) return { allowed: true };
    const { rows } = await this.#database.query<{ retry_at: Date | null }>(
      `SELECT s.last_failure_at + ($2::bigint[])[least(s.failures, $3::int) + 1] * interval '1 millisecond' AS retry_at
       FROM share_links AS s WHERE s.id = $1`,
      [id, delays, last],
    );
    const retryAt = rows[0]?.retry_at?.getTime() ?? now.getTime();
    return { allowed: false, retryAt: Math.max(retryAt, now.getTime() + 1) };
  }

  async forgive(id: string): Promise<void> {
    if (!isFileId(id)) return;
    await this.#database.query(
      'UPDATE share_links SET failures = 0, last_failure_at = NULL WHERE id = $1 AND failures > 0',
      [id],
    );
  }
}
