import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { FileRecord, ListQuery, Page } from '../Storage.ts';

/**
 * The disk driver's index of what its folder holds: one row per file with
 * the metadata a file system does not keep (content type, checksum, created
 * time). SQLite compares text byte by byte, which is S3's key order, so
 * listing, folders and cursors behave as they do on MinIO.
 */

interface Row {
  name: string;
  size: number;
  content_type: string;
  checksum: string;
  created_at: number;
  updated_at: number;
}

function toRecord(row: Row): FileRecord {
  return {
    name: row.name,
    size: row.size,
    contentType: row.content_type,
    checksum: row.checksum,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

const columns = { name: 'name', size: 'size', updatedAt: 'updated_at' } as const;

/** The first string greater than every name inside folder `prefix` ("a/" → "a0"). */
function folderEnd(prefix: string): string {
  return `${prefix.slice(0, -1)}0`;
}

export class Catalog {
  readonly #db: DatabaseSync;
  readonly #get: StatementSync;
  readonly #put: StatementSync;
  readonly #delete: StatementSync;
  readonly #firstInFolder: StatementSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(path: string) {
    this.#db = new DatabaseSync(path);
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      CREATE TABLE IF NOT EXISTS files (
        name TEXT PRIMARY KEY,
        folded TEXT NOT NULL,
        size INTEGER NOT NULL,
        content_type TEXT NOT NULL,
        checksum TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS files_by_size ON files (size, name);
      CREATE INDEX IF NOT EXISTS files_by_update ON files (updated_at, name);
    `);
    this.#get = this.#db.prepare('SELECT * FROM files WHERE name = ?');
    this.#put = this.#db.prepare(
      `INSERT INTO files (name, folded, size, content_type, checksum, created_at, updated_at)
       VALUES (:name, :folded, :size, :contentType, :checksum, :createdAt, :updatedAt)
       ON CONFLICT (name) DO UPDATE SET folded = excluded.folded, size = excluded.size,
         content_type = excluded.content_type, checksum = excluded.checksum,
         created_at = excluded.created_at, updated_at = excluded.updated_at`,
    );
    this.#delete = this.#db.prepare('DELETE FROM files WHERE name = ?');
    this.#firstInFolder = this.#db.prepare(
      'SELECT name FROM files WHERE name >= ? AND name < ? ORDER BY name LIMIT 1',
    );
  }

  /** Listing queries differ only by which filters apply: prepare each shape once. */
  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    this.#db.close();
  }

  get(name: string): FileRecord | undefined {
    const row = this.#get.get(name) as Row | undefined;
    return row && toRecord(row);
  }

  put(record: FileRecord, folded: string): void {
    this.#put.run({
      name: record.name,
      folded,
      size: record.size,
      contentType: record.contentType,
      checksum: record.checksum,
      createdAt: record.createdAt.getTime(),
      updatedAt: record.updatedAt.getTime(),
    });
  }

  delete(name: string): boolean {
    return Number(this.#delete.run(name).changes) > 0;
  }

  /** Runs `work` in one transaction: all of its changes or none. */
  transaction(work: () => void): void {
    this.#db.exec('BEGIN');
    try {
      work();
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Moves a row to a new name in one transaction. */
  move(from: string, to: FileRecord, folded: string): void {
    this.transaction(() => {
      this.#delete.run(from);
      this.put(to, folded);
    });
  }

  /** Whether some file lives inside the folder `prefix` ("a/b/"). */
  hasFolder(prefix: string): boolean {
    return this.#firstInFolder.get(prefix, folderEnd(prefix)) !== undefined;
  }

  list(query: ListQuery): Page {
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    if (query.prefix !== '') {
      where.push('name >= :low AND name < :high');
      params.low = query.prefix;
      params.high = folderEnd(query.prefix);
    }
    if (!query.recursive) {
      where.push(`instr(substr(name, length(:folder) + 1), '/') = 0`);
      params.folder = query.prefix;
    }
    if (query.search !== undefined) {
      where.push('instr(folded, :search) > 0');
      params.search = query.search;
    }
    const filter = where.join(' AND ') || '1';
    const { field, descending } = query.order;
    const column = columns[field];
    const direction = descending ? 'DESC' : 'ASC';
    const pageWhere = [filter];
    const pageParams: Record<string, string | number> = { ...params, limit: query.limit + 1 };
    if (query.after) {
      const beyond = descending ? '<' : '>';
      pageParams.afterName = query.after.name;
      if (field === 'name') {
        pageWhere.push(`name ${beyond} :afterName`);
      } else {
        pageWhere.push(`(${column}, name) ${beyond} (:afterValue, :afterName)`);
        pageParams.afterValue = query.after.value ?? 0;
      }
    }
    const orderBy =
      field === 'name' ? `name ${direction}` : `${column} ${direction}, name ${direction}`;
    const rows = this.#statement(
      `SELECT * FROM files WHERE ${pageWhere.join(' AND ')} ORDER BY ${orderBy} LIMIT :limit`,
    ).all(pageParams) as unknown as Row[];
    const { total } = this.#statement(`SELECT count(*) AS total FROM files WHERE ${filter}`).get(
      params,
    ) as { total: number };
    return {
      files: rows.slice(0, query.limit).map(toRecord),
      hasMore: rows.length > query.limit,
      totalCount: total,
    };
  }

  /** Folders directly inside `prefix`, as paths ending in '/'. */
  folders(prefix: string): string[] {
    const inside = `instr(substr(name, length(:prefix) + 1), '/')`;
    const range = prefix === '' ? '' : 'name >= :low AND name < :high AND';
    const params: Record<string, string> = { prefix };
    if (prefix !== '') {
      params.low = prefix;
      params.high = folderEnd(prefix);
    }
    const rows = this.#statement(
      `SELECT DISTINCT substr(name, 1, length(:prefix) + ${inside}) AS folder FROM files
       WHERE ${range} ${inside} > 0 ORDER BY folder`,
    ).all(params) as unknown as Array<{ folder: string }>;
    return rows.map((row) => row.folder);
  }

  /** Every catalogued name with its size and time, to compare with the folder. */
  *entries(): Generator<{ name: string; size: number; updatedAt: number }> {
    const statement = this.#db.prepare('SELECT name, size, updated_at FROM files');
    for (const row of statement.iterate() as Iterable<{
      name: string;
      size: number;
      updated_at: number;
    }>) {
      yield { name: row.name, size: row.size, updatedAt: row.updated_at };
    }
  }
}
