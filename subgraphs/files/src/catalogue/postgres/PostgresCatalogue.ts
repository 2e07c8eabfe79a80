import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AppError } from '@filegraph/shared/errors';
import {
  PostgresDatabase,
  type PostgresOptions as DatabaseOptions,
} from '@filegraph/shared/postgres';
import type { Logger } from '@filegraph/shared/logger';
import {
  legacyOwner,
  type Adopted,
  type Catalogue,
  type FileRecord,
  type ListQuery,
  type Page,
  type PendingWrite,
  type TrashQuery,
  type Written,
} from '../Catalogue.ts';
import { refuseRepeats } from '../batch.ts';
import { lockedNames } from '../folderRule.ts';
import { clashesSql, legacyFolder } from '../legacy.ts';
import { newFileColumns, newFileRow } from '../rows.ts';
import { containsPattern, folderDeltas, folderEnd, parentOf, searchFold } from '../paths.ts';
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
import { isFileId } from '../ids.ts';
import { migrations } from './migrations.ts';
import {
  anyInside,
  checkFolderRule,
  countEachOwner,
  countFolderChanges,
  firstFile,
  liveRow,
  lockOwnNames,
  newNames,
} from './names.ts';
import { PostgresShares } from './PostgresShares.ts';
import { PostgresUpkeep } from './PostgresUpkeep.ts';
import { PostgresUsage } from './PostgresUsage.ts';
import { columns, qualified, toRecord, type Row } from './rows.ts';
import {
  insertNewFiles,
  instant,
  intendWrites,
  liveForWrite,
  now,
  writesDone,
} from './statements.ts';

export interface PostgresOptions extends DatabaseOptions {
  /** How long a replaced version's bytes stay, for readers that already hold its key. */
  readonly keepReplacedMs: number;
}

/** New files a replica commits before it makes sure the catalogue has statistics. */
const analyzeAfter = 1_000;

/** Any number that identifies filegraph's schema migrations among advisory locks. */
const migrationLock = 0x66696c65;

const orderColumns = { name: 'name', size: 'size', updatedAt: 'updated_at' } as const;
type Client = pg.PoolClient;

/** The catalogue in PostgreSQL: the record of the distributed stack, shared by every replica. */
export class PostgresCatalogue implements Catalogue {
  readonly kind = 'postgres' as const;
  readonly shares: PostgresShares;
  readonly usage: PostgresUsage;
  readonly upkeep: PostgresUpkeep;
  readonly #options: PostgresOptions;
  readonly #database: PostgresDatabase;
  readonly #logger: Logger;
  #newFiles = 0;
  // Opening (the schema migrated), closing and checking are the database's.
  readonly open = () => this.#database.open();
  readonly close = () => this.#database.close();
  readonly check = () => this.#database.check();
  readonly #call = <T>(work: () => Promise<T>) => this.#database.call(work);
  readonly #transaction = <T>(work: (client: Client) => Promise<T>) =>
    this.#database.transaction(work);

  constructor(options: PostgresOptions, logger: Logger) {
    this.#options = options;
    this.#logger = logger;
    this.#database = new PostgresDatabase(
      {
        ...options,
        store: 'catalogue',
        applicationName: 'filegraph-files',
        migrations: { lock: migrationLock, table: 'schema_migrations', steps: migrations },
        migratedMessage: 'catalogue schema migrated',
      },
      logger,
      'PostgresCatalogue',
    );
    this.shares = new PostgresShares(this.#database);
    this.usage = new PostgresUsage(this.#database);
    this.upkeep = new PostgresUpkeep(this.#database);
  }

  get #db(): pg.Pool {
    return this.#database.pool;
  }

  async get(id: string): Promise<FileRecord | undefined> {
    const row = await this.#call(() => liveRow(this.#db, id, false));
    return row && toRecord(row);
  }

  async find(owner: string, name: string): Promise<FileRecord | undefined> {
    const { rows } = await this.#call(() =>
      this.#db.query<Row>(
        `SELECT ${columns} FROM files WHERE owner = $1 AND name = $2 AND deleted_at IS NULL`,
        [owner, name],
      ),
    );
    return rows[0] && toRecord(rows[0]);
  }

  async list(owner: string, query: ListQuery): Promise<Page> {
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = [`owner = ${param(owner)}`, 'deleted_at IS NULL'];
    if (!query.recursive) where.push(`parent = ${param(query.prefix)}`);
    else if (query.prefix !== '')
      where.push(`name >= ${param(query.prefix)} AND name < ${param(folderEnd(query.prefix))}`);
    if (query.search !== undefined)
      where.push(`folded LIKE ${param(containsPattern(query.search))} ESCAPE '\\'`);
    const filter = where.join(' AND ');
    const filterParams = [...params];
    const { field, descending } = query.order;
    const column = orderColumns[field];
    const direction = descending ? 'DESC' : 'ASC';
    if (query.after) {
      const beyond = descending ? '<' : '>';
      if (field === 'name') where.push(`name ${beyond} ${param(query.after.name)}`);
      else {
        const value =
          field === 'size' ? param(query.after.value ?? 0) : instant(param(query.after.value ?? 0));
        where.push(`(${column}, name) ${beyond} (${value}, ${param(query.after.name)})`);
      }
    }
    const orderBy =
      field === 'name' ? `name ${direction}` : `${column} ${direction}, name ${direction}`;
    const limit = param(query.limit + 1);
    const [{ rows }, totalCount] = await this.#call(() =>
      Promise.all([
        this.#db.query<Row>(
          `SELECT ${columns} FROM files WHERE ${where.join(' AND ')} ORDER BY ${orderBy} LIMIT ${limit}`,
          params,
        ),
        this.#total(owner, query, filter, filterParams),
      ]),
    );
    return {
      files: rows.slice(0, query.limit).map(toRecord),
      hasMore: rows.length > query.limit,
      totalCount,
    };
  }

  /** Without a search, a folder's count is kept in `folders`; with one, it is counted. */
  async #total(
    owner: string,
    query: ListQuery,
    filter: string,
    params: unknown[],
  ): Promise<number> {
    if (query.search === undefined) {
      const { rows } = await this.#db.query<{ files: number; direct: number }>(
        'SELECT files, direct FROM folders WHERE owner = $1 AND path = $2',
        [owner, query.prefix],
      );
      const row = rows[0];
      return row ? (query.recursive ? row.files : row.direct) : 0;
    }
    const { rows } = await this.#db.query<{ count: number }>(
      `SELECT count(*) AS count FROM files WHERE ${filter}`,
      params,
    );
    return rows[0]?.count ?? 0;
  }

  async folders(owner: string, prefix: string): Promise<string[]> {
    const { rows } = await this.#call(() =>
      this.#db.query<{ path: string }>(
        'SELECT path FROM folders WHERE owner = $1 AND parent = $2 ORDER BY path',
        [owner, prefix],
      ),
    );
    return rows.map((row) => row.path);
  }

  async trash(owner: string, query: TrashQuery): Promise<Page> {
    const params: unknown[] = [query.limit + 1, owner];
    let after = '';
    if (query.after) {
      params.push(query.after.deletedAt, query.after.id);
      after = `AND (deleted_at, id) < (${instant('$3')}, $4::uuid)`;
    }
    const [{ rows }, count] = await this.#call(() =>
      Promise.all([
        this.#db.query<Row>(
          `SELECT ${columns} FROM files WHERE owner = $2 AND deleted_at IS NOT NULL ${after}
           ORDER BY deleted_at DESC, id DESC LIMIT $1`,
          params,
        ),
        this.#db.query<{ count: number }>(
          'SELECT count(*) AS count FROM files WHERE owner = $1 AND deleted_at IS NOT NULL',
          [owner],
        ),
      ]),
    );
    return {
      files: rows.slice(0, query.limit).map(toRecord),
      hasMore: rows.length > query.limit,
      totalCount: count.rows[0]?.count ?? 0,
    };
  }

  async intend(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.#call(() => this.#db.query(intendWrites([keys])));
  }

  async abandon(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.upkeep.toGarbage(
      'DELETE FROM writes WHERE object_key = ANY($1::text[]) RETURNING object_key',
      [keys],
    );
  }

  /**
   * A whole upload's files in one transaction and a handful of statements,
   * whatever their number: locks, the rows they replace, the folder rule,
   * then the rows, counts and writes set by set (a batch of 50 small files
   * costs what one did). Refusals come in the order the writes were given.
   */
  async commit(owner: string, writes: readonly PendingWrite[]): Promise<FileRecord[]> {
    refuseRepeats(writes);
    return this.#transaction(async (client) => {
      const names = writes.flatMap(({ target }) =>
        target.mode === 'replace' ? [] : [target.name],
      );
      const ids = writes.flatMap(({ target }) =>
        target.mode === 'replace' && isFileId(target.id) ? [target.id] : [],
      );
      if (names.length > 0) await lockOwnNames(client, owner, names.flatMap(lockedNames));
      // Row locks keep a rename or a delete of these files out until we commit.
      const { rows: live } = await client.query<Row>(liveForWrite([names, ids, owner]));
      const byName = new Map(live.map((row) => [row.name, row]));
      const byId = new Map(live.map((row) => [row.id, row]));
      const rule = await newNames(
        client,
        owner,
        names.filter((name) => !byName.has(name)),
      );
      const updates: Array<{ row: Row; written: Written }> = [];
      const inserts: Array<{ id: string; name: string; written: Written }> = [];
      const order: string[] = [];
      for (const { target, written } of writes) {
        const row = target.mode === 'replace' ? byId.get(target.id) : byName.get(target.name);
        if (target.mode === 'replace' && !row) throw noSuchFile();
        if (target.mode === 'create' && row) throw alreadyExists(target.name);
        if (row) {
          updates.push({ row, written });
          order.push(row.id);
        } else if (target.mode !== 'replace') {
          const error = rule.add(target.name);
          if (error) throw error;
          const id = randomUUID();
          inserts.push({ id, name: target.name, written });
          order.push(id);
        }
      }
      const rows = [
        ...(await this.#replaceVersions(client, updates)),
        ...(await this.#insertFiles(client, owner, inserts)),
      ];
      await client.query(writesDone([writes.map(({ written }) => written.key)]));
      // Last: every upload into a folder updates its count, and the row stays locked until COMMIT.
      await countFolderChanges(
        client,
        owner,
        folderDeltas(inserts.map(({ name }) => [name, 1] as const)),
      );
      const byNewId = new Map(rows.map((row) => [row.id, row]));
      return order.map((id) => toRecord(byNewId.get(id) as Row));
    }).then((records) => {
      this.#analyzeWhenNew(records.length);
      return records;
    });
  }

  /**
   * A new catalogue has no statistics until autovacuum first comes by (a
   * minute or more after the files do). Until then PostgreSQL guesses that
   * an owner has few files, and plans each upload's lookups by name as a
   * scan of all of them: uploads slowed down as the catalogue grew. A
   * replica that has committed its first thousand files analyzes the table
   * if it never was, in the background.
   */
  #analyzeWhenNew(committed: number): void {
    if (this.#newFiles >= analyzeAfter) return;
    this.#newFiles += committed;
    if (this.#newFiles < analyzeAfter) return;
    this.#database
      .query<{ never: boolean }>(
        `SELECT last_analyze IS NULL AND last_autoanalyze IS NULL AS never
         FROM pg_stat_user_tables WHERE relid = 'files'::regclass`,
      )
      .then(async ({ rows }) => {
        if (rows[0]?.never !== true) return;
        await this.#database.query('ANALYZE files');
        this.#logger.info('catalogue statistics gathered', { files: this.#newFiles });
      })
      .catch((error: unknown) =>
        this.#logger.warn('could not gather catalogue statistics', { err: error }),
      );
  }

  /** New versions of live files; the bytes they replace become garbage once kept a while. */
  async #replaceVersions(
    client: Client,
    updates: ReadonlyArray<{ row: Row; written: Written }>,
  ): Promise<Row[]> {
    if (updates.length === 0) return [];
    const { rows } = await client.query<Row>(
      `UPDATE files AS f SET size = u.size, checksum = u.checksum, content_type = u.content_type,
         object_key = u.object_key, updated_at = ${now}
       FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::text[])
         AS u (id, size, checksum, content_type, object_key)
       WHERE f.id = u.id RETURNING ${qualified('f')}`,
      [
        updates.map(({ row }) => row.id),
        updates.map(({ written }) => written.size),
        updates.map(({ written }) => written.checksum),
        updates.map(({ written }) => written.contentType),
        updates.map(({ written }) => written.key),
      ],
    );
    await client.query(
      `INSERT INTO garbage (object_key, due_at)
       SELECT k, ${now} + $2 * interval '1 millisecond' FROM unnest($1::text[]) AS k
       ON CONFLICT DO NOTHING`,
      [updates.map(({ row }) => row.object_key), this.#options.keepReplacedMs],
    );
    return rows;
  }

  async #insertFiles(
    client: Client,
    owner: string,
    inserts: ReadonlyArray<{ id: string; name: string; written: Written }>,
  ): Promise<Row[]> {
    if (inserts.length === 0) return [];
    const { rows } = await client.query<Row>(
      insertNewFiles([
        inserts.map(({ id }) => id),
        inserts.map(({ name }) => name),
        inserts.map(({ name }) => parentOf(name)),
        inserts.map(({ name }) => searchFold(name)),
        inserts.map(({ written }) => written.size),
        inserts.map(({ written }) => written.contentType),
        inserts.map(({ written }) => written.checksum),
        inserts.map(({ written }) => written.key),
        owner,
      ]),
    );
    return rows;
  }

  async rename(id: string, name: string, overwrite: boolean): Promise<FileRecord> {
    return this.#transaction(async (client) => {
      const source = await liveRow(client, id, true);
      if (!source) throw noSuchFile();
      if (source.name === name) return toRecord(source);
      const owner = source.owner;
      await lockOwnNames(client, owner, lockedNames(name));
      const { rows } = await client.query<Row>(
        `SELECT ${columns} FROM files WHERE owner = $1 AND name = $2 AND deleted_at IS NULL FOR UPDATE`,
        [owner, name],
      );
      const target = rows[0];
      if (target && !overwrite) throw alreadyExists(name);
      const changes: Array<[string, number]> = [
        [source.name, -1],
        [name, 1],
      ];
      if (target) {
        await client.query(`UPDATE files SET deleted_at = ${now} WHERE id = $1`, [target.id]);
        await client.query('DELETE FROM share_links WHERE file_id = $1', [target.id]);
        changes.push([target.name, -1]);
      } else await checkFolderRule(client, owner, name);
      const {
        rows: [moved],
      } = await client.query<Row>(
        `UPDATE files SET name = $2, parent = $3, folded = $4 WHERE id = $1 RETURNING ${columns}`,
        [id, name, parentOf(name), searchFold(name)],
      );
      await countFolderChanges(client, owner, folderDeltas(changes));
      return toRecord(moved as Row);
    });
  }

  async moveFolder(owner: string, from: string, to: string): Promise<number> {
    if (to.startsWith(from)) throw intoItself(from, to);
    return this.#transaction(async (client) => {
      await lockOwnNames(client, owner, [...lockedNames(from), ...lockedNames(to)]);
      const { rows } = await client.query<{ files: number }>(
        'SELECT files FROM folders WHERE owner = $1 AND path = $2',
        [owner, from],
      );
      const count = rows[0]?.files ?? 0;
      if (count === 0) throw noSuchFolder(from);
      const toName = to.slice(0, -1);
      if (await anyInside(client, owner, to)) throw folderExists(to);
      if ((await firstFile(client, owner, [toName])) !== undefined) throw isFolder(toName);
      await checkFolderRule(client, owner, toName);
      const end = folderEnd(from);
      await client.query(
        `UPDATE files SET name = $3 || substr(name, length($1) + 1),
           parent = $3 || substr(parent, length($1) + 1),
           folded = $4 || substr(folded, length($5) + 1)
         WHERE owner = $6 AND deleted_at IS NULL AND name >= $1 AND name < $2`,
        [from, end, to, searchFold(to), searchFold(from), owner],
      );
      await client.query(
        `UPDATE folders SET path = $3 || substr(path, length($1) + 1),
           parent = CASE WHEN path = $1 THEN $4 ELSE $3 || substr(parent, length($1) + 1) END
         WHERE owner = $5 AND path >= $1 AND path < $2`,
        [from, end, to, parentOf(toName), owner],
      );
      // The folders above both ends lose or gain the moved files (none of them directly).
      const deltas = folderDeltas([
        [from.slice(0, -1), -count],
        [toName, count],
      ]).map((d) => ({ ...d, direct: 0 }));
      await countFolderChanges(client, owner, deltas);
      return count;
    });
  }

  async discard(ids: readonly string[]): Promise<void> {
    const valid = ids.filter((id) => isFileId(id));
    if (valid.length === 0) return;
    await this.#transaction(async (client) => {
      const { rows } = await client.query<{
        owner: string;
        name: string;
        object_key: string;
        live: boolean;
      }>(
        `DELETE FROM files WHERE id = ANY($1::uuid[])
         RETURNING owner, name, object_key, deleted_at IS NULL AS live`,
        [valid],
      );
      await client.query(
        `INSERT INTO garbage (object_key, due_at) SELECT k, ${now} FROM unnest($1::text[]) AS k
         ON CONFLICT DO NOTHING`,
        [rows.map((row) => row.object_key)],
      );
      await countEachOwner(
        client,
        rows.filter((row) => row.live).map((row) => ({ ...row, delta: -1 })),
      );
    });
  }

  async trashFiles(ids: readonly string[], owner: string | undefined): Promise<string[]> {
    const valid = ids.filter((id) => isFileId(id));
    if (valid.length === 0) return [];
    return this.#transaction(async (client) => {
      const { rows } = await client.query<{ id: string; owner: string; name: string }>(
        `UPDATE files SET deleted_at = ${now}
         WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL AND ($2::uuid IS NULL OR owner = $2)
         RETURNING id, owner, name`,
        [valid, owner ?? null],
      );
      await client.query('DELETE FROM share_links WHERE file_id = ANY($1::uuid[])', [
        rows.map((row) => row.id),
      ]);
      await countEachOwner(
        client,
        rows.map((row) => ({ ...row, delta: -1 })),
      );
      return rows.map((row) => row.id);
    });
  }

  async restore(ids: readonly string[], owner: string | undefined): Promise<FileRecord[]> {
    const valid = ids.filter((id) => isFileId(id));
    if (valid.length === 0) return [];
    return this.#transaction(async (client) => {
      const { rows } = await client.query<Row>(
        `SELECT ${columns} FROM files
         WHERE id = ANY($1::uuid[]) AND deleted_at IS NOT NULL AND ($2::uuid IS NULL OR owner = $2)
         ORDER BY owner, name FOR UPDATE`,
        [valid, owner ?? null],
      );
      // Names are each owner's: locked and checked owner by owner.
      const byOwner = new Map<string, Row[]>();
      for (const row of rows) byOwner.set(row.owner, [...(byOwner.get(row.owner) ?? []), row]);
      for (const [rowOwner, owned] of byOwner) {
        await lockOwnNames(
          client,
          rowOwner,
          owned.flatMap((row) => lockedNames(row.name)),
        );
        const names = new Set<string>();
        for (const row of owned) {
          if (names.has(row.name) || (await firstFile(client, rowOwner, [row.name])) !== undefined)
            throw nameTakenOnRestore(row.name);
          names.add(row.name);
          await checkFolderRule(client, rowOwner, row.name);
        }
        // Restored files may not sit where another restored file needs a folder.
        for (const name of names) {
          for (const other of names)
            if (other.startsWith(`${name}/`)) throw parentIsFile(name, other);
        }
      }
      const restored = await client.query<Row>(
        `UPDATE files SET deleted_at = NULL WHERE id = ANY($1::uuid[]) RETURNING ${columns}`,
        [rows.map((row) => row.id)],
      );
      await countEachOwner(
        client,
        rows.map((row) => ({ owner: row.owner, name: row.name, delta: 1 })),
      );
      return restored.rows.map(toRecord);
    });
  }

  async emptyTrash(owner: string): Promise<number> {
    return this.upkeep.purge('owner = $1 AND deleted_at IS NOT NULL', [owner]);
  }

  async adopt(files: readonly Adopted[]): Promise<Array<FileRecord | AppError>> {
    if (files.length === 0) return [];
    return this.#transaction(async (client) => {
      await lockOwnNames(
        client,
        legacyOwner,
        files.flatMap(({ name }) => lockedNames(name)),
      );
      const results: Array<FileRecord | AppError> = [];
      for (const file of files) {
        try {
          if ((await firstFile(client, legacyOwner, [file.name])) !== undefined)
            throw alreadyExists(file.name);
          await checkFolderRule(client, legacyOwner, file.name);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          results.push(error);
          continue;
        }
        const {
          rows: [row],
        } = await client.query<Row>(
          `INSERT INTO files (${newFileColumns})
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${columns}`,
          [...newFileRow(legacyOwner, file.name, file, file.createdAt, file.updatedAt)],
        );
        results.push(toRecord(row as Row));
      }
      const adopted = results.flatMap((result) =>
        result instanceof AppError ? [] : [[result.name, 1] as const],
      );
      await countFolderChanges(client, legacyOwner, folderDeltas(adopted));
      return results;
    });
  }

  async claimLegacy(owner: string): Promise<number> {
    return this.#transaction(async (client) => {
      // Replicas claiming at once take turns; the later one finds nothing left.
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 2))', [
        'claim legacy files',
      ]);
      const { rows: clashes } = await client.query<{ id: string; name: string }>(clashesSql('$'), [
        legacyOwner,
        owner,
      ]);
      if (clashes.length > 0) {
        const folder = legacyFolder();
        const moved = clashes.map(({ name }) => folder + name);
        await client.query(
          `UPDATE files AS f SET name = m.name, parent = m.parent, folded = m.folded
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS m (id, name, parent, folded)
           WHERE f.id = m.id`,
          [clashes.map(({ id }) => id), moved, moved.map(parentOf), moved.map(searchFold)],
        );
        await countFolderChanges(
          client,
          legacyOwner,
          folderDeltas(
            clashes.flatMap(({ name }) => [[name, -1] as const, [folder + name, 1] as const]),
          ),
        );
      }
      const { rowCount } = await client.query('UPDATE files SET owner = $1 WHERE owner = $2', [
        owner,
        legacyOwner,
      ]);
      await client.query(
        `INSERT INTO folders (owner, path, parent, files, direct)
           SELECT $1, path, parent, files, direct FROM folders WHERE owner = $2 AND files > 0
         ON CONFLICT (owner, path) DO UPDATE SET files = folders.files + excluded.files,
           direct = folders.direct + excluded.direct`,
        [owner, legacyOwner],
      );
      await client.query('DELETE FROM folders WHERE owner = $1', [legacyOwner]);
      return rowCount ?? 0;
    });
  }
}
