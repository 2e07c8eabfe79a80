import type { SQLInputValue } from 'node:sqlite';
import { AppError } from '@filegraph/shared/errors';
import { SqliteDatabase } from '@filegraph/shared/sqlite';
import type { Logger } from '@filegraph/shared/logger';
import {
  legacyOwner,
  type Adopted,
  type Catalogue,
  type FileRecord,
  type ListQuery,
  type Page,
  type TrashQuery,
  type PendingWrite,
  type WriteTarget,
  type Written,
} from '../Catalogue.ts';
import { refuseRepeats } from '../batch.ts';
import { folderRule, folderRuleError } from '../folderRule.ts';
import { clashesSql, legacyFolder } from '../legacy.ts';
import { newFileColumns, newFileRow } from '../rows.ts';
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
import { columns, toRecord, type Row } from './rows.ts';
import { SqliteShares } from './SqliteShares.ts';
import { markGarbage, SqliteUpkeep } from './SqliteUpkeep.ts';
import { SqliteUsage } from './SqliteUsage.ts';

const orderColumns = { name: 'name', size: 'size', updatedAt: 'updated_at' } as const;

/**
 * The catalogue in SQLite, for the embedded default (one process: its
 * statements run one at a time, so a transaction needs no locks of its own).
 * SQLite compares text byte by byte, the order PostgreSQL's "C" collation
 * and S3 use, so both drivers list alike.
 */
export class SqliteCatalogue implements Catalogue {
  readonly kind = 'sqlite' as const;
  readonly shares: SqliteShares;
  readonly usage: SqliteUsage;
  readonly upkeep: SqliteUpkeep;
  readonly #keepReplacedMs: number;
  readonly #database: SqliteDatabase;
  // Opening (the schema migrated), closing and checking are the database's.
  readonly open = () => this.#database.open();
  readonly close = () => this.#database.close();
  readonly check = () => this.#database.check();
  readonly #run = (sql: string) => this.#database.run(sql);
  readonly #transaction = <T>(work: () => T) => this.#database.transaction(work);

  constructor(path: string, options: { keepReplacedMs: number }, logger: Logger) {
    this.#keepReplacedMs = options.keepReplacedMs;
    this.#database = new SqliteDatabase(
      path,
      { migrations, migratedMessage: 'catalogue schema migrated' },
      logger,
      'SqliteCatalogue',
    );
    this.shares = new SqliteShares(this.#run, this.#transaction);
    this.usage = new SqliteUsage(this.#run);
    this.upkeep = new SqliteUpkeep(this.#run, this.#transaction, this.shares);
  }

  #checkFolderRule(owner: string, name: string): void {
    const { inside, parents } = folderRule(name);
    const filesInside = this.#anyInside(owner, inside);
    const fileParent = parents.find((parent) => this.#liveByName(owner, parent) !== undefined);
    const error = folderRuleError(name, filesInside, fileParent);
    if (error) throw error;
  }

  #anyInside(owner: string, path: string): boolean {
    return (
      this.#run(
        'SELECT 1 FROM files WHERE owner = ? AND deleted_at IS NULL AND name >= ? AND name < ? LIMIT 1',
      ).get(owner, path, folderEnd(path) ?? '') !== undefined
    );
  }

  #liveByName(owner: string, name: string): Row | undefined {
    return this.#run(
      `SELECT ${columns} FROM files WHERE owner = ? AND name = ? AND deleted_at IS NULL`,
    ).get(owner, name) as Row | undefined;
  }

  #liveById(id: string): Row | undefined {
    return this.#run(`SELECT ${columns} FROM files WHERE id = ? AND deleted_at IS NULL`).get(id) as
      Row | undefined;
  }

  #count(owner: string, deltas: readonly FolderDelta[]): void {
    const upsert = this.#run(
      `INSERT INTO folders (owner, path, parent, files, direct) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (owner, path) DO UPDATE SET files = files + excluded.files, direct = direct + excluded.direct`,
    );
    const forget = this.#run(
      `DELETE FROM folders WHERE owner = ? AND path = ? AND files = 0 AND path <> ''`,
    );
    for (const delta of deltas) {
      upsert.run(owner, delta.path, delta.parent ?? null, delta.files, delta.direct);
      if (delta.files < 0) forget.run(owner, delta.path);
    }
  }

  /** Folder counts for names that appear or go, owner by owner. */
  #countEach(changes: ReadonlyArray<{ owner: string; name: string; delta: number }>): void {
    const byOwner = new Map<string, Array<[string, number]>>();
    for (const { owner, name, delta } of changes) {
      const list = byOwner.get(owner) ?? [];
      list.push([name, delta]);
      byOwner.set(owner, list);
    }
    for (const [owner, list] of byOwner) this.#count(owner, folderDeltas(list));
  }

  async get(id: string): Promise<FileRecord | undefined> {
    const row = this.#liveById(id);
    return row && toRecord(row);
  }

  async find(owner: string, name: string): Promise<FileRecord | undefined> {
    const row = this.#liveByName(owner, name);
    return row && toRecord(row);
  }

  async list(owner: string, query: ListQuery): Promise<Page> {
    const where = ['owner = ?', 'deleted_at IS NULL'];
    const params: SQLInputValue[] = [owner];
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
      const folder = this.#run(
        'SELECT files, direct FROM folders WHERE owner = ? AND path = ?',
      ).get(owner, query.prefix) as { files: number; direct: number } | undefined;
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

  async folders(owner: string, prefix: string): Promise<string[]> {
    const rows = this.#run(
      'SELECT path FROM folders WHERE owner = ? AND parent = ? ORDER BY path',
    ).all(owner, prefix) as Array<{ path: string }>;
    return rows.map((row) => row.path);
  }

  async trash(owner: string, query: TrashQuery): Promise<Page> {
    const after = query.after ? 'AND (deleted_at, id) < (?, ?)' : '';
    const params: SQLInputValue[] = query.after ? [query.after.deletedAt, query.after.id] : [];
    const rows = this.#run(
      `SELECT ${columns} FROM files WHERE owner = ? AND deleted_at IS NOT NULL ${after}
       ORDER BY deleted_at DESC, id DESC LIMIT ?`,
    ).all(owner, ...params, query.limit + 1) as unknown as Row[];
    const { count } = this.#run(
      'SELECT count(*) AS count FROM files WHERE owner = ? AND deleted_at IS NOT NULL',
    ).get(owner) as {
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
      for (const key of keys)
        this.upkeep.toGarbage('DELETE FROM writes WHERE object_key = ? RETURNING object_key', [
          key,
        ]);
    });
  }

  /** One after the other in one transaction: in-process, each statement costs microseconds. */
  async commit(owner: string, writes: readonly PendingWrite[]): Promise<FileRecord[]> {
    refuseRepeats(writes);
    return this.#transaction(() =>
      writes.map(({ target, written }) => this.#commitOne(owner, target, written)),
    );
  }

  #commitOne(owner: string, target: WriteTarget, written: Written): FileRecord {
    let existing: Row | undefined;
    let name: string;
    if (target.mode === 'replace') {
      existing = this.#liveById(target.id);
      if (!existing || existing.owner !== owner) throw noSuchFile();
      name = existing.name;
    } else {
      name = target.name;
      existing = this.#liveByName(owner, name);
      if (existing && target.mode === 'create') throw alreadyExists(name);
      if (!existing) this.#checkFolderRule(owner, name);
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
      markGarbage(this.#run, existing.object_key, now + this.#keepReplacedMs);
    } else {
      row = this.#run(
        `INSERT INTO files (${newFileColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${columns}`,
      ).get(...newFileRow(owner, name, written, now, now)) as unknown as Row;
      this.#count(owner, folderDeltas([[name, 1]]));
    }
    this.#run('DELETE FROM writes WHERE object_key = ?').run(written.key);
    return toRecord(row);
  }

  async rename(id: string, name: string, overwrite: boolean): Promise<FileRecord> {
    return this.#transaction(() => {
      const source = this.#liveById(id);
      if (!source) throw noSuchFile();
      if (source.name === name) return toRecord(source);
      const owner = source.owner;
      const target = this.#liveByName(owner, name);
      if (target && !overwrite) throw alreadyExists(name);
      const changes: Array<[string, number]> = [
        [source.name, -1],
        [name, 1],
      ];
      if (target) {
        this.#run('UPDATE files SET deleted_at = ? WHERE id = ?').run(Date.now(), target.id);
        this.shares.forgetFile(target.id);
        changes.push([target.name, -1]);
      } else this.#checkFolderRule(owner, name);
      const moved = this.#run(
        `UPDATE files SET name = ?, parent = ?, folded = ? WHERE id = ? RETURNING ${columns}`,
      ).get(name, parentOf(name), searchFold(name), id) as unknown as Row;
      this.#count(owner, folderDeltas(changes));
      return toRecord(moved);
    });
  }

  async moveFolder(owner: string, from: string, to: string): Promise<number> {
    if (to.startsWith(from)) throw intoItself(from, to);
    return this.#transaction(() => {
      const folder = this.#run('SELECT files FROM folders WHERE owner = ? AND path = ?').get(
        owner,
        from,
      ) as { files: number } | undefined;
      const count = folder?.files ?? 0;
      if (count === 0) throw noSuchFolder(from);
      const toName = to.slice(0, -1);
      if (this.#anyInside(owner, to)) throw folderExists(to);
      if (this.#liveByName(owner, toName)) throw isFolder(toName);
      this.#checkFolderRule(owner, toName);
      this.#moveNames(owner, from, to);
      this.#run(
        `UPDATE folders SET path = ? || substr(path, length(?) + 1),
           parent = CASE WHEN path = ? THEN ? ELSE ? || substr(parent, length(?) + 1) END
         WHERE owner = ? AND path >= ? AND path < ?`,
      ).run(to, from, from, parentOf(toName), to, from, owner, from, folderEnd(from) ?? '');
      // The folders above both ends lose or gain the moved files (none of them directly).
      const deltas = folderDeltas([
        [from.slice(0, -1), -count],
        [toName, count],
      ]).map((d) => ({ ...d, direct: 0 }));
      this.#count(owner, deltas);
      return count;
    });
  }

  /** Renames the owner's live files in folder `from` into folder `to` (counts are the caller's). */
  #moveNames(owner: string, from: string, to: string): void {
    this.#run(
      `UPDATE files SET name = ? || substr(name, length(?) + 1),
         parent = ? || substr(parent, length(?) + 1),
         folded = ? || substr(folded, length(?) + 1)
       WHERE owner = ? AND deleted_at IS NULL AND name >= ? AND name < ?`,
    ).run(to, from, to, from, searchFold(to), searchFold(from), owner, from, folderEnd(from) ?? '');
  }

  async discard(ids: readonly string[]): Promise<void> {
    this.#transaction(() => {
      const now = Date.now();
      const gone: Array<{ owner: string; name: string; delta: number }> = [];
      for (const id of new Set(ids)) {
        const row = this.#run(
          'DELETE FROM files WHERE id = ? RETURNING owner, name, object_key, deleted_at',
        ).get(id) as
          | { owner: string; name: string; object_key: string; deleted_at: number | null }
          | undefined;
        if (!row) continue;
        markGarbage(this.#run, row.object_key, now);
        this.shares.forgetFile(id);
        if (row.deleted_at === null) gone.push({ owner: row.owner, name: row.name, delta: -1 });
      }
      this.#countEach(gone);
    });
  }

  async trashFiles(ids: readonly string[], owner: string | undefined): Promise<string[]> {
    return this.#transaction(() => {
      const now = Date.now();
      const trashed: Row[] = [];
      for (const id of new Set(ids)) {
        const row = this.#liveById(id);
        if (!row || (owner !== undefined && row.owner !== owner)) continue;
        this.#run('UPDATE files SET deleted_at = ? WHERE id = ?').run(now, id);
        this.shares.forgetFile(id);
        trashed.push(row);
      }
      this.#countEach(trashed.map((row) => ({ owner: row.owner, name: row.name, delta: -1 })));
      return trashed.map((row) => row.id);
    });
  }

  async restore(ids: readonly string[], owner: string | undefined): Promise<FileRecord[]> {
    return this.#transaction(() => {
      const rows = [...new Set(ids)]
        .map(
          (id) =>
            this.#run(`SELECT ${columns} FROM files WHERE id = ? AND deleted_at IS NOT NULL`).get(
              id,
            ) as Row | undefined,
        )
        .filter((row): row is Row => row !== undefined && (owner ?? row.owner) === row.owner)
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      // Names are each owner's: checked owner by owner.
      const names = new Map<string, Set<string>>();
      for (const row of rows) {
        const taken = names.get(row.owner) ?? new Set<string>();
        names.set(row.owner, taken);
        if (taken.has(row.name) || this.#liveByName(row.owner, row.name))
          throw nameTakenOnRestore(row.name);
        taken.add(row.name);
        this.#checkFolderRule(row.owner, row.name);
      }
      for (const taken of names.values())
        for (const name of taken)
          for (const other of taken)
            if (other.startsWith(`${name}/`)) throw parentIsFile(name, other);
      const restored = rows.map(
        (row) =>
          this.#run(`UPDATE files SET deleted_at = NULL WHERE id = ? RETURNING ${columns}`).get(
            row.id,
          ) as unknown as Row,
      );
      this.#countEach(rows.map((row) => ({ owner: row.owner, name: row.name, delta: 1 })));
      return restored.map(toRecord);
    });
  }

  async emptyTrash(owner: string): Promise<number> {
    return this.upkeep.purge('owner = ? AND deleted_at IS NOT NULL', [owner]);
  }

  async adopt(files: readonly Adopted[]): Promise<Array<FileRecord | AppError>> {
    return this.#transaction(() => {
      const insert = this.#run(
        `INSERT INTO files (${newFileColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${columns}`,
      );
      const results = files.map((file): FileRecord | AppError => {
        try {
          if (this.#liveByName(legacyOwner, file.name)) throw alreadyExists(file.name);
          this.#checkFolderRule(legacyOwner, file.name);
        } catch (error) {
          if (error instanceof AppError) return error;
          throw error;
        }
        const row = insert.get(
          ...newFileRow(
            legacyOwner,
            file.name,
            file,
            file.createdAt.getTime(),
            file.updatedAt.getTime(),
          ),
        ) as unknown as Row;
        return toRecord(row);
      });
      const adopted = results.flatMap((result) =>
        result instanceof AppError ? [] : [[result.name, 1] as const],
      );
      this.#count(legacyOwner, folderDeltas(adopted));
      return results;
    });
  }

  async claimLegacy(owner: string): Promise<number> {
    return this.#transaction(() => {
      const clashes = this.#run(clashesSql('?')).all(legacyOwner, owner) as Array<{
        id: string;
        name: string;
      }>;
      if (clashes.length > 0) {
        const folder = legacyFolder();
        const move = this.#run('UPDATE files SET name = ?, parent = ?, folded = ? WHERE id = ?');
        for (const { id, name } of clashes) {
          const moved = folder + name;
          move.run(moved, parentOf(moved), searchFold(moved), id);
        }
        this.#count(
          legacyOwner,
          folderDeltas(
            clashes.flatMap(({ name }) => [[name, -1] as const, [folder + name, 1] as const]),
          ),
        );
      }
      const { changes } = this.#run('UPDATE files SET owner = ? WHERE owner = ?').run(
        owner,
        legacyOwner,
      );
      this.#run(
        `INSERT INTO folders (owner, path, parent, files, direct)
           SELECT ?, path, parent, files, direct FROM folders WHERE owner = ? AND files > 0
         ON CONFLICT (owner, path) DO UPDATE SET files = files + excluded.files, direct = direct + excluded.direct`,
      ).run(owner, legacyOwner);
      this.#run('DELETE FROM folders WHERE owner = ?').run(legacyOwner);
      return Number(changes);
    });
  }
}
