import { randomUUID } from 'node:crypto';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { Logger } from '@filegraph/shared/logger';
import type {
  Adopted,
  Catalogue,
  FileRecord,
  KeyUse,
  ListQuery,
  Page,
  TrashQuery,
  PendingWrite,
  WriteTarget,
  Written,
} from '../Catalogue.ts';
import { refuseRepeats } from '../batch.ts';
import { folderRule, folderRuleError } from '../folderRule.ts';
import { folderDeltas, folderEnd, parentOf, searchFold, type FolderDelta } from '../paths.ts';
import {
  alreadyExists,
  folderExists,
  intoItself,
  isFolder,
  nameTakenOnRestore,
  noSuchFile,
  noSuchFolder,
  parentIsFile,
} from '../refusals.ts';
import { migrations } from './migrations.ts';

interface Row {
  id: string;
  name: string;
  size: number;
  content_type: string;
  checksum: string;
  object_key: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

function toRecord(row: Row): FileRecord {
  return {
    id: row.id,
    name: row.name,
    size: row.size,
    contentType: row.content_type,
    checksum: row.checksum,
    key: row.object_key,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    deletedAt: row.deleted_at === null ? undefined : new Date(row.deleted_at),
  };
}

const columns =
  'id, name, size, content_type, checksum, object_key, created_at, updated_at, deleted_at';
const orderColumns = { name: 'name', size: 'size', updatedAt: 'updated_at' } as const;

/**
 * The catalogue in SQLite, for the embedded default (one process: its
 * statements run one at a time, so a transaction needs no locks of its own).
 * SQLite compares text byte by byte, the order PostgreSQL's "C" collation
 * and S3 use, so both drivers list alike.
 */
export class SqliteCatalogue implements Catalogue {
  readonly kind = 'sqlite' as const;
  readonly #path: string;
  readonly #logger: Logger;
  readonly #keepReplacedMs: number;
  readonly #statements = new Map<string, StatementSync>();
  #opened: DatabaseSync | undefined;

  constructor(path: string, options: { keepReplacedMs: number }, logger: Logger) {
    this.#path = path;
    this.#keepReplacedMs = options.keepReplacedMs;
    this.#logger = logger;
  }

  get #db(): DatabaseSync {
    if (!this.#opened) throw new Error('SqliteCatalogue used before open()');
    return this.#opened;
  }

  async open(): Promise<void> {
    if (this.#opened) return;
    const db = new DatabaseSync(this.#path);
    // Another process on the same folder (a second replica in a test) may hold
    // the write lock for a moment: wait for it rather than fail at once.
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    const version = Number(
      (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version,
    );
    for (let next = version + 1; next <= migrations.length; next += 1) {
      db.exec('BEGIN IMMEDIATE');
      try {
        db.exec(migrations[next - 1] as string);
        db.exec(`PRAGMA user_version = ${next}`);
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
      this.#logger.info('catalogue schema migrated', { version: next });
    }
    this.#opened = db;
  }

  async close(): Promise<void> {
    this.#statements.clear();
    this.#opened?.close();
    this.#opened = undefined;
  }

  async check(): Promise<void> {
    this.#run('SELECT 1').get();
  }

  /** Statements are prepared once per shape. */
  #run(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Runs `work` in one transaction. It is synchronous, as node:sqlite is:
   * nothing else can touch the database until it has committed, so neither
   * another request's write nor its read can come in between.
   */
  #transaction<T>(work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  #checkFolderRule(name: string): void {
    const { inside, parents } = folderRule(name);
    const filesInside =
      this.#run(
        'SELECT 1 FROM files WHERE deleted_at IS NULL AND name >= ? AND name < ? LIMIT 1',
      ).get(inside, folderEnd(inside) ?? '') !== undefined;
    const fileParent = parents.find((parent) => this.#liveByName(parent) !== undefined);
    const error = folderRuleError(name, filesInside, fileParent);
    if (error) throw error;
  }

  #liveByName(name: string): Row | undefined {
    return this.#run(`SELECT ${columns} FROM files WHERE name = ? AND deleted_at IS NULL`).get(
      name,
    ) as Row | undefined;
  }

  #liveById(id: string): Row | undefined {
    return this.#run(`SELECT ${columns} FROM files WHERE id = ? AND deleted_at IS NULL`).get(id) as
      Row | undefined;
  }

  #count(deltas: readonly FolderDelta[]): void {
    const upsert = this.#run(
      `INSERT INTO folders (path, parent, files, direct) VALUES (?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET files = files + excluded.files, direct = direct + excluded.direct`,
    );
    const forget = this.#run(`DELETE FROM folders WHERE path = ? AND files = 0 AND path <> ''`);
    for (const delta of deltas) {
      upsert.run(delta.path, delta.parent ?? null, delta.files, delta.direct);
      if (delta.files < 0) forget.run(delta.path);
    }
  }

  #garbage(key: string, dueAt: number): void {
    this.#run('INSERT INTO garbage (object_key, due_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(
      key,
      dueAt,
    );
  }

  async get(id: string): Promise<FileRecord | undefined> {
    const row = this.#liveById(id);
    return row && toRecord(row);
  }

  async find(name: string): Promise<FileRecord | undefined> {
    const row = this.#liveByName(name);
    return row && toRecord(row);
  }

  async list(query: ListQuery): Promise<Page> {
    const where = ['deleted_at IS NULL'];
    const params: SQLInputValue[] = [];
    if (!query.recursive) {
      where.push('parent = ?');
      params.push(query.prefix);
    } else if (query.prefix !== '') {
      where.push('name >= ? AND name < ?');
      params.push(query.prefix, folderEnd(query.prefix) ?? '');
    }
    if (query.search !== undefined) {
      where.push('instr(folded, ?) > 0');
      params.push(query.search);
    }
    const filter = where.join(' AND ');
    const filterParams = [...params];
    const { field, descending } = query.order;
    const column = orderColumns[field];
    const direction = descending ? 'DESC' : 'ASC';
    if (query.after) {
      const beyond = descending ? '<' : '>';
      if (field === 'name') where.push(`name ${beyond} ?`);
      else {
        where.push(`(${column}, name) ${beyond} (?, ?)`);
        params.push(query.after.value ?? 0);
      }
      params.push(query.after.name);
    }
    const orderBy =
      field === 'name' ? `name ${direction}` : `${column} ${direction}, name ${direction}`;
    const rows = this.#run(
      `SELECT ${columns} FROM files WHERE ${where.join(' AND ')} ORDER BY ${orderBy} LIMIT ?`,
    ).all(...params, query.limit + 1) as unknown as Row[];
    let totalCount: number;
    if (query.search === undefined) {
      const folder = this.#run('SELECT files, direct FROM folders WHERE path = ?').get(
        query.prefix,
      ) as { files: number; direct: number } | undefined;
      totalCount = folder ? (query.recursive ? folder.files : folder.direct) : 0;
    } else {
      totalCount = Number(
        (
          this.#run(`SELECT count(*) AS count FROM files WHERE ${filter}`).get(...filterParams) as {
            count: number;
          }
        ).count,
      );
    }
    return {
      files: rows.slice(0, query.limit).map(toRecord),
      hasMore: rows.length > query.limit,
      totalCount,
    };
  }

  async folders(prefix: string): Promise<string[]> {
    const rows = this.#run('SELECT path FROM folders WHERE parent = ? ORDER BY path').all(
      prefix,
    ) as Array<{
      path: string;
    }>;
    return rows.map((row) => row.path);
  }

  async trash(query: TrashQuery): Promise<Page> {
    const after = query.after ? 'AND (deleted_at, id) < (?, ?)' : '';
    const params: SQLInputValue[] = query.after ? [query.after.deletedAt, query.after.id] : [];
    const rows = this.#run(
      `SELECT ${columns} FROM files WHERE deleted_at IS NOT NULL ${after}
       ORDER BY deleted_at DESC, id DESC LIMIT ?`,
    ).all(...params, query.limit + 1) as unknown as Row[];
    const { count } = this.#run(
      'SELECT count(*) AS count FROM files WHERE deleted_at IS NOT NULL',
    ).get() as {
      count: number;
    };
    return {
      files: rows.slice(0, query.limit).map(toRecord),
      hasMore: rows.length > query.limit,
      totalCount: Number(count),
    };
  }

  async intend(keys: readonly string[]): Promise<void> {
    const statement = this.#run('INSERT INTO writes (object_key, started_at) VALUES (?, ?)');
    const now = Date.now();
    this.#transaction(() => {
      for (const key of keys) statement.run(key, now);
    });
  }

  async abandon(keys: readonly string[]): Promise<void> {
    this.#transaction(() => {
      const now = Date.now();
      for (const key of keys)
        if (Number(this.#run('DELETE FROM writes WHERE object_key = ?').run(key).changes) > 0)
          this.#garbage(key, now);
    });
  }

  /** One after the other in one transaction: in-process, each statement costs microseconds. */
  async commit(writes: readonly PendingWrite[]): Promise<FileRecord[]> {
    refuseRepeats(writes);
    return this.#transaction(() =>
      writes.map(({ target, written }) => this.#commitOne(target, written)),
    );
  }

  #commitOne(target: WriteTarget, written: Written): FileRecord {
    let existing: Row | undefined;
    let name: string;
    if (target.mode === 'replace') {
      existing = this.#liveById(target.id);
      if (!existing) throw noSuchFile();
      name = existing.name;
    } else {
      name = target.name;
      existing = this.#liveByName(name);
      if (existing && target.mode === 'create') throw alreadyExists(name);
      if (!existing) this.#checkFolderRule(name);
    }
    const now = Date.now();
    let row: Row;
    if (existing) {
      row = this.#run(
        `UPDATE files SET size = ?, checksum = ?, content_type = ?, object_key = ?, updated_at = ?
         WHERE id = ? RETURNING ${columns}`,
      ).get(
        written.size,
        written.checksum,
        written.contentType,
        written.key,
        now,
        existing.id,
      ) as unknown as Row;
      this.#garbage(existing.object_key, now + this.#keepReplacedMs);
    } else {
      row = this.#run(
        `INSERT INTO files (id, name, parent, folded, size, content_type, checksum, object_key, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${columns}`,
      ).get(
        randomUUID(),
        name,
        parentOf(name),
        searchFold(name),
        written.size,
        written.contentType,
        written.checksum,
        written.key,
        now,
        now,
      ) as unknown as Row;
      this.#count(folderDeltas([[name, 1]]));
    }
    this.#run('DELETE FROM writes WHERE object_key = ?').run(written.key);
    return toRecord(row);
  }

  async rename(id: string, name: string, overwrite: boolean): Promise<FileRecord> {
    return this.#transaction(() => {
      const source = this.#liveById(id);
      if (!source) throw noSuchFile();
      if (source.name === name) return toRecord(source);
      const target = this.#liveByName(name);
      if (target && !overwrite) throw alreadyExists(name);
      const changes: Array<[string, number]> = [
        [source.name, -1],
        [name, 1],
      ];
      if (target) {
        this.#run('UPDATE files SET deleted_at = ? WHERE id = ?').run(Date.now(), target.id);
        changes.push([target.name, -1]);
      } else this.#checkFolderRule(name);
      const moved = this.#run(
        `UPDATE files SET name = ?, parent = ?, folded = ? WHERE id = ? RETURNING ${columns}`,
      ).get(name, parentOf(name), searchFold(name), id) as unknown as Row;
      this.#count(folderDeltas(changes));
      return toRecord(moved);
    });
  }

  async moveFolder(from: string, to: string): Promise<number> {
    if (to.startsWith(from)) throw intoItself(from, to);
    return this.#transaction(() => {
      const folder = this.#run('SELECT files FROM folders WHERE path = ?').get(from) as
        { files: number } | undefined;
      const count = folder?.files ?? 0;
      if (count === 0) throw noSuchFolder(from);
      const toName = to.slice(0, -1);
      const inside = this.#run(
        'SELECT 1 FROM files WHERE deleted_at IS NULL AND name >= ? AND name < ? LIMIT 1',
      ).get(to, folderEnd(to) ?? '');
      if (inside !== undefined) throw folderExists(to);
      if (this.#liveByName(toName)) throw isFolder(toName);
      this.#checkFolderRule(toName);
      const end = folderEnd(from) ?? '';
      this.#run(
        `UPDATE files SET name = ? || substr(name, length(?) + 1),
           parent = ? || substr(parent, length(?) + 1),
           folded = ? || substr(folded, length(?) + 1)
         WHERE deleted_at IS NULL AND name >= ? AND name < ?`,
      ).run(to, from, to, from, searchFold(to), searchFold(from), from, end);
      this.#run(
        `UPDATE folders SET path = ? || substr(path, length(?) + 1),
           parent = CASE WHEN path = ? THEN ? ELSE ? || substr(parent, length(?) + 1) END
         WHERE path >= ? AND path < ?`,
      ).run(to, from, from, parentOf(toName), to, from, from, end);
      // The folders above both ends lose or gain the moved files (none of them directly).
      const deltas = folderDeltas([
        [from.slice(0, -1), -count],
        [toName, count],
      ]).map((d) => ({ ...d, direct: 0 }));
      this.#count(deltas);
      return count;
    });
  }

  async discard(ids: readonly string[]): Promise<void> {
    this.#transaction(() => {
      const now = Date.now();
      const gone: string[] = [];
      for (const id of new Set(ids)) {
        const row = this.#run(
          'DELETE FROM files WHERE id = ? RETURNING name, object_key, deleted_at',
        ).get(id) as { name: string; object_key: string; deleted_at: number | null } | undefined;
        if (!row) continue;
        this.#garbage(row.object_key, now);
        if (row.deleted_at === null) gone.push(row.name);
      }
      this.#count(folderDeltas(gone.map((name) => [name, -1])));
    });
  }

  async trashFiles(ids: readonly string[]): Promise<string[]> {
    return this.#transaction(() => {
      const now = Date.now();
      const trashed: Row[] = [];
      for (const id of new Set(ids)) {
        const row = this.#liveById(id);
        if (!row) continue;
        this.#run('UPDATE files SET deleted_at = ? WHERE id = ?').run(now, id);
        trashed.push(row);
      }
      this.#count(folderDeltas(trashed.map((row) => [row.name, -1])));
      return trashed.map((row) => row.id);
    });
  }

  async restore(ids: readonly string[]): Promise<FileRecord[]> {
    return this.#transaction(() => {
      const rows = [...new Set(ids)]
        .map(
          (id) =>
            this.#run(`SELECT ${columns} FROM files WHERE id = ? AND deleted_at IS NOT NULL`).get(
              id,
            ) as Row | undefined,
        )
        .filter((row): row is Row => row !== undefined)
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const names = new Set<string>();
      for (const row of rows) {
        if (names.has(row.name) || this.#liveByName(row.name)) throw nameTakenOnRestore(row.name);
        names.add(row.name);
        this.#checkFolderRule(row.name);
      }
      for (const name of names) {
        for (const other of names)
          if (other.startsWith(`${name}/`)) throw parentIsFile(name, other);
      }
      const restored = rows.map(
        (row) =>
          this.#run(`UPDATE files SET deleted_at = NULL WHERE id = ? RETURNING ${columns}`).get(
            row.id,
          ) as unknown as Row,
      );
      this.#count(folderDeltas(rows.map((row) => [row.name, 1])));
      return restored.map(toRecord);
    });
  }

  async emptyTrash(): Promise<number> {
    return this.#purge('deleted_at IS NOT NULL', []);
  }

  async purgeTrash(before: Date): Promise<number> {
    return this.#purge('deleted_at < ?', [before.getTime()]);
  }

  #purge(condition: string, params: SQLInputValue[]): number {
    return this.#transaction(() => {
      const gone = this.#run(`DELETE FROM files WHERE ${condition} RETURNING object_key`).all(
        ...params,
      ) as Array<{ object_key: string }>;
      const now = Date.now();
      for (const row of gone) this.#garbage(row.object_key, now);
      return gone.length;
    });
  }

  async expireWrites(before: Date): Promise<number> {
    return this.#transaction(() => {
      const gone = this.#run('DELETE FROM writes WHERE started_at < ? RETURNING object_key').all(
        before.getTime(),
      ) as Array<{ object_key: string }>;
      const now = Date.now();
      for (const row of gone) this.#garbage(row.object_key, now);
      return gone.length;
    });
  }

  async adopt(file: Adopted): Promise<FileRecord> {
    return this.#transaction(() => {
      if (this.#liveByName(file.name)) throw alreadyExists(file.name);
      this.#checkFolderRule(file.name);
      const row = this.#run(
        `INSERT INTO files (id, name, parent, folded, size, content_type, checksum, object_key, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${columns}`,
      ).get(
        randomUUID(),
        file.name,
        parentOf(file.name),
        searchFold(file.name),
        file.size,
        file.contentType,
        file.checksum,
        file.key,
        file.createdAt.getTime(),
        file.updatedAt.getTime(),
      ) as unknown as Row;
      this.#count(folderDeltas([[file.name, 1]]));
      return toRecord(row);
    });
  }

  async *keyUses(): AsyncGenerator<KeyUse> {
    const rows = this.#run(
      `SELECT object_key AS key, 'file' AS use, id, name FROM files
       UNION ALL SELECT object_key, 'write', NULL, NULL FROM writes
       UNION ALL SELECT object_key, 'garbage', NULL, NULL FROM garbage`,
    ).all() as Array<{ key: string; use: KeyUse['use']; id: string | null; name: string | null }>;
    for (const row of rows)
      yield {
        key: row.key,
        use: row.use,
        ...(row.id && row.name ? { file: { id: row.id, name: row.name } } : {}),
      };
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
