import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '@filegraph/shared/logger';
import type {
  Adopted,
  Catalogue,
  FileRecord,
  KeyUse,
  ListQuery,
  Page,
  PendingWrite,
  TrashQuery,
  Written,
} from '../Catalogue.ts';
import { NewNames, refuseRepeats } from '../batch.ts';
import { folderRule, lockedNames } from '../folderRule.ts';
import {
  containsPattern,
  folderDeltas,
  folderEnd,
  parentOf,
  searchFold,
  type FolderDelta,
} from '../paths.ts';
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
import { fromPostgres, isRetryable } from './errors.ts';
import { isFileId } from '../ids.ts';
import { migrations } from './migrations.ts';

export interface PostgresOptions {
  readonly url: URL;
  readonly poolSize: number;
  /** Longest a statement, or the wait for a connection, may take. */
  readonly timeoutMs: number;
  /** How long a replaced version's bytes stay, for readers that already hold its key. */
  readonly keepReplacedMs: number;
}

/** Any number that identifies filegraph's schema migrations among advisory locks. */
const migrationLock = 0x66696c65;

const columnNames = [
  'id',
  'name',
  'size',
  'content_type',
  'checksum',
  'object_key',
  'created_at',
  'updated_at',
  'deleted_at',
];
const columns = columnNames.join(', ');
/** The columns of a table aliased `alias` (an UPDATE … FROM returns both tables' otherwise). */
const qualified = (alias: string) => columnNames.map((name) => `${alias}.${name}`).join(', ');

interface Row {
  id: string;
  name: string;
  size: number;
  content_type: string;
  checksum: string;
  object_key: string;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

function toRecord(row: Row): FileRecord {
  return {
    id: row.id,
    name: row.name,
    size: row.size,
    contentType: row.content_type,
    checksum: row.checksum,
    key: row.object_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at ?? undefined,
  };
}

const orderColumns = { name: 'name', size: 'size', updatedAt: 'updated_at' } as const;
/** Times are kept to the millisecond, as cursors carry them. */
const now = `date_trunc('milliseconds', statement_timestamp())`;
/** A time given in milliseconds since 1970, exactly (to_timestamp goes through a float). */
const instant = (param: string) =>
  `('epoch'::timestamptz + ${param}::bigint * interval '1 millisecond')`;

type Client = pg.PoolClient;

/** The catalogue in PostgreSQL: the record of the distributed stack, shared by every replica. */
export class PostgresCatalogue implements Catalogue {
  readonly kind = 'postgres' as const;
  readonly #options: PostgresOptions;
  readonly #logger: Logger;
  readonly #where: string;
  #pool: pg.Pool | undefined;

  constructor(options: PostgresOptions, logger: Logger) {
    this.#options = options;
    this.#logger = logger;
    this.#where = `catalogue (PostgreSQL at ${options.url.host})`;
  }

  get #db(): pg.Pool {
    if (!this.#pool) throw new Error('PostgresCatalogue used before open()');
    return this.#pool;
  }

  async open(): Promise<void> {
    if (this.#pool) return;
    const { timeoutMs } = this.#options;
    const pool = new pg.Pool({
      connectionString: this.#options.url.href,
      max: this.#options.poolSize,
      connectionTimeoutMillis: timeoutMs,
      idleTimeoutMillis: 30_000,
      statement_timeout: timeoutMs,
      // Past this, a server that stopped answering mid-query (frozen, cut off) is given up on.
      query_timeout: timeoutMs + 1_000,
      application_name: 'filegraph-files',
      // bigint columns (sizes, counts) as numbers: sizes stay below 2^53.
      types: {
        getTypeParser: (oid, format) =>
          oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format),
      },
    });
    // An idle connection dropped by the server must not end the process; the pool replaces it.
    pool.on('error', (error) => this.#logger.warn('catalogue connection lost', { err: error }));
    this.#pool = pool;
    await this.#call(() => this.#migrate());
  }

  async close(): Promise<void> {
    await this.#pool?.end();
    this.#pool = undefined;
  }

  async check(): Promise<void> {
    await this.#call(() => this.#db.query('SELECT 1'));
  }

  /**
   * Applies what the database lacks of `migrations`, each in its own
   * transaction, under an advisory lock: replicas that start together take
   * turns, and each finds the work done by the one before.
   */
  async #migrate(): Promise<void> {
    const { client, release } = await this.#hold();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [migrationLock]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ version: number }>(
        'SELECT coalesce(max(version), 0) AS version FROM schema_migrations',
      );
      for (let version = (rows[0]?.version ?? 0) + 1; version <= migrations.length; version += 1) {
        await client.query('BEGIN');
        try {
          await client.query(migrations[version - 1] as string);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        this.#logger.info('catalogue schema migrated', { version });
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLock]).catch(() => {});
      release();
    }
  }

  /**
   * A connection held for a series of statements. While it is held, the
   * pool no longer listens for its errors, and a server that dies under it
   * would end the process: we listen, and it is dropped when given back.
   */
  async #hold(): Promise<{ client: Client; release(error?: Error): void }> {
    const client = await this.#db.connect();
    let lost: Error | undefined;
    const onError = (error: Error) => (lost = error);
    client.on('error', onError);
    return {
      client,
      release: (error) => {
        client.off('error', onError);
        client.release(error ?? lost);
      },
    };
  }

  async #call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw fromPostgres(error, this.#where, this.#options.timeoutMs);
    }
  }

  /** Runs `work` in one transaction, again when PostgreSQL reports a deadlock or serialization failure. */
  #transaction<T>(work: (client: Client) => Promise<T>): Promise<T> {
    return this.#call(async () => {
      for (let attempt = 1; ; attempt += 1) {
        const { client, release } = await this.#hold();
        let broken: Error | undefined;
        try {
          await client.query('BEGIN');
          const result = await work(client);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
          if (!isRetryable(error) || attempt === 3) throw error;
        } finally {
          release(broken);
        }
      }
    });
  }

  /** Locks names (and so their folders) until the transaction ends, across every replica. */
  async #lock(client: Client, names: readonly string[]): Promise<void> {
    const unique = [...new Set(names)].sort();
    await client.query(
      `SELECT pg_advisory_xact_lock(k) FROM (
         SELECT hashtextextended(n, 0) AS k FROM unnest($1::text[]) AS n ORDER BY n
       ) AS locks`,
      [unique],
    );
  }

  async #anyInside(client: Client, path: string): Promise<boolean> {
    const { rowCount } = await client.query(
      'SELECT 1 FROM files WHERE deleted_at IS NULL AND name >= $1 AND name < $2 LIMIT 1',
      [path, folderEnd(path)],
    );
    return rowCount !== 0;
  }

  async #firstFile(client: Client, names: readonly string[]): Promise<string | undefined> {
    if (names.length === 0) return undefined;
    const { rows } = await client.query<{ name: string }>(
      'SELECT name FROM files WHERE deleted_at IS NULL AND name = ANY($1::text[]) ORDER BY name LIMIT 1',
      [names],
    );
    return rows[0]?.name;
  }

  async #checkFolderRule(client: Client, name: string): Promise<void> {
    const error = (await this.#newNames(client, [name])).add(name);
    if (error) throw error;
  }

  /** Applies folder count changes; folders left with no file are forgotten (the top stays). */
  async #count(client: Client, deltas: readonly FolderDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    await client.query(
      `INSERT INTO folders (path, parent, files, direct)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[])
       ON CONFLICT (path) DO UPDATE SET files = folders.files + excluded.files,
         direct = folders.direct + excluded.direct`,
      [
        deltas.map((d) => d.path),
        deltas.map((d) => d.parent ?? null),
        deltas.map((d) => d.files),
        deltas.map((d) => d.direct),
      ],
    );
    const emptied = deltas.filter((d) => d.files < 0).map((d) => d.path);
    if (emptied.length === 0) return;
    await client.query(
      `DELETE FROM folders WHERE path = ANY($1::text[]) AND files = 0 AND path <> ''`,
      [emptied],
    );
  }

  async #liveRow(client: Client, id: string, forUpdate: boolean): Promise<Row | undefined> {
    if (!isFileId(id)) return undefined;
    const { rows } = await client.query<Row>(
      `SELECT ${columns} FROM files WHERE id = $1 AND deleted_at IS NULL${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0];
  }

  async get(id: string): Promise<FileRecord | undefined> {
    if (!isFileId(id)) return undefined;
    const { rows } = await this.#call(() =>
      this.#db.query<Row>(`SELECT ${columns} FROM files WHERE id = $1 AND deleted_at IS NULL`, [
        id,
      ]),
    );
    return rows[0] && toRecord(rows[0]);
  }

  async find(name: string): Promise<FileRecord | undefined> {
    const { rows } = await this.#call(() =>
      this.#db.query<Row>(`SELECT ${columns} FROM files WHERE name = $1 AND deleted_at IS NULL`, [
        name,
      ]),
    );
    return rows[0] && toRecord(rows[0]);
  }

  async list(query: ListQuery): Promise<Page> {
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = ['deleted_at IS NULL'];
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
        this.#total(query, filter, filterParams),
      ]),
    );
    return {
      files: rows.slice(0, query.limit).map(toRecord),
      hasMore: rows.length > query.limit,
      totalCount,
    };
  }

  /** Without a search, a folder's count is kept in `folders`; with one, it is counted. */
  async #total(query: ListQuery, filter: string, params: unknown[]): Promise<number> {
    if (query.search === undefined) {
      const { rows } = await this.#db.query<{ files: number; direct: number }>(
        'SELECT files, direct FROM folders WHERE path = $1',
        [query.prefix],
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

  async folders(prefix: string): Promise<string[]> {
    const { rows } = await this.#call(() =>
      this.#db.query<{ path: string }>('SELECT path FROM folders WHERE parent = $1 ORDER BY path', [
        prefix,
      ]),
    );
    return rows.map((row) => row.path);
  }

  async trash(query: TrashQuery): Promise<Page> {
    const params: unknown[] = [query.limit + 1];
    let after = '';
    if (query.after) {
      params.push(query.after.deletedAt, query.after.id);
      after = `AND (deleted_at, id) < (${instant('$2')}, $3::uuid)`;
    }
    const [{ rows }, count] = await this.#call(() =>
      Promise.all([
        this.#db.query<Row>(
          `SELECT ${columns} FROM files WHERE deleted_at IS NOT NULL ${after}
           ORDER BY deleted_at DESC, id DESC LIMIT $1`,
          params,
        ),
        this.#db.query<{ count: number }>(
          'SELECT count(*) AS count FROM files WHERE deleted_at IS NOT NULL',
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
    await this.#call(() =>
      this.#db.query(
        `INSERT INTO writes (object_key, started_at) SELECT k, ${now} FROM unnest($1::text[]) AS k`,
        [keys],
      ),
    );
  }

  async abandon(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.#call(() =>
      this.#db.query(
        `WITH gone AS (DELETE FROM writes WHERE object_key = ANY($1::text[]) RETURNING object_key)
         INSERT INTO garbage (object_key, due_at) SELECT object_key, ${now} FROM gone
         ON CONFLICT DO NOTHING`,
        [keys],
      ),
    );
  }

  /**
   * A whole upload's files in one transaction and a handful of statements,
   * whatever their number: locks, the rows they replace, the folder rule,
   * then the rows, counts and writes set by set (a batch of 50 small files
   * costs what one did). Refusals come in the order the writes were given.
   */
  async commit(writes: readonly PendingWrite[]): Promise<FileRecord[]> {
    refuseRepeats(writes);
    return this.#transaction(async (client) => {
      const names = writes.flatMap(({ target }) =>
        target.mode === 'replace' ? [] : [target.name],
      );
      const ids = writes.flatMap(({ target }) =>
        target.mode === 'replace' && isFileId(target.id) ? [target.id] : [],
      );
      if (names.length > 0) await this.#lock(client, names.flatMap(lockedNames));
      // Row locks keep a rename or a delete of these files out until we commit.
      const { rows: live } = await client.query<Row>(
        `SELECT ${columns} FROM files
         WHERE deleted_at IS NULL AND (name = ANY($1::text[]) OR id = ANY($2::uuid[])) FOR UPDATE`,
        [names, ids],
      );
      const byName = new Map(live.map((row) => [row.name, row]));
      const byId = new Map(live.map((row) => [row.id, row]));
      const rule = await this.#newNames(
        client,
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
        ...(await this.#insertFiles(client, inserts)),
      ];
      await client.query('DELETE FROM writes WHERE object_key = ANY($1::text[])', [
        writes.map(({ written }) => written.key),
      ]);
      const byNewId = new Map(rows.map((row) => [row.id, row]));
      return order.map((id) => toRecord(byNewId.get(id) as Row));
    });
  }

  /**
   * What is stored around names new to the catalogue, for the folder rule,
   * in one query for all: which of them have live files inside, and which
   * of their folders are live files.
   */
  async #newNames(client: Client, names: readonly string[]): Promise<NewNames> {
    if (names.length === 0) return new NewNames(new Set(), new Set());
    const insides = names.map((name) => folderRule(name).inside);
    const { rows } = await client.query<{ inside: boolean; name: string }>(
      `SELECT true AS inside, n.name FROM unnest($1::text[], $2::text[], $3::text[]) AS n (name, low, high)
       WHERE EXISTS (SELECT 1 FROM files f WHERE f.deleted_at IS NULL AND f.name >= n.low AND f.name < n.high)
       UNION ALL
       SELECT false, name FROM files WHERE deleted_at IS NULL AND name = ANY($4::text[])`,
      [
        names,
        insides,
        insides.map((path) => folderEnd(path)),
        [...new Set(names.flatMap((name) => folderRule(name).parents))],
      ],
    );
    const named = (inside: boolean) =>
      new Set(rows.filter((row) => row.inside === inside).map((row) => row.name));
    return new NewNames(named(true), named(false));
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
    inserts: ReadonlyArray<{ id: string; name: string; written: Written }>,
  ): Promise<Row[]> {
    if (inserts.length === 0) return [];
    const { rows } = await client.query<Row>(
      `INSERT INTO files (id, name, parent, folded, size, content_type, checksum, object_key, created_at, updated_at)
       SELECT *, ${now}, ${now} FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[],
         $5::bigint[], $6::text[], $7::text[], $8::text[])
       RETURNING ${columns}`,
      [
        inserts.map(({ id }) => id),
        inserts.map(({ name }) => name),
        inserts.map(({ name }) => parentOf(name)),
        inserts.map(({ name }) => searchFold(name)),
        inserts.map(({ written }) => written.size),
        inserts.map(({ written }) => written.contentType),
        inserts.map(({ written }) => written.checksum),
        inserts.map(({ written }) => written.key),
      ],
    );
    await this.#count(client, folderDeltas(inserts.map(({ name }) => [name, 1] as const)));
    return rows;
  }

  async rename(id: string, name: string, overwrite: boolean): Promise<FileRecord> {
    return this.#transaction(async (client) => {
      const source = await this.#liveRow(client, id, true);
      if (!source) throw noSuchFile();
      if (source.name === name) return toRecord(source);
      await this.#lock(client, lockedNames(name));
      const { rows } = await client.query<Row>(
        `SELECT ${columns} FROM files WHERE name = $1 AND deleted_at IS NULL FOR UPDATE`,
        [name],
      );
      const target = rows[0];
      if (target && !overwrite) throw alreadyExists(name);
      const changes: Array<[string, number]> = [
        [source.name, -1],
        [name, 1],
      ];
      if (target) {
        await client.query(`UPDATE files SET deleted_at = ${now} WHERE id = $1`, [target.id]);
        changes.push([target.name, -1]);
      } else await this.#checkFolderRule(client, name);
      const {
        rows: [moved],
      } = await client.query<Row>(
        `UPDATE files SET name = $2, parent = $3, folded = $4 WHERE id = $1 RETURNING ${columns}`,
        [id, name, parentOf(name), searchFold(name)],
      );
      await this.#count(client, folderDeltas(changes));
      return toRecord(moved as Row);
    });
  }

  async moveFolder(from: string, to: string): Promise<number> {
    if (to.startsWith(from)) throw intoItself(from, to);
    return this.#transaction(async (client) => {
      await this.#lock(client, [...lockedNames(from), ...lockedNames(to)]);
      const { rows } = await client.query<{ files: number }>(
        'SELECT files FROM folders WHERE path = $1',
        [from],
      );
      const count = rows[0]?.files ?? 0;
      if (count === 0) throw noSuchFolder(from);
      const toName = to.slice(0, -1);
      if (await this.#anyInside(client, to)) throw folderExists(to);
      if ((await this.#firstFile(client, [toName])) !== undefined) throw isFolder(toName);
      await this.#checkFolderRule(client, toName);
      const end = folderEnd(from);
      await client.query(
        `UPDATE files SET name = $3 || substr(name, length($1) + 1),
           parent = $3 || substr(parent, length($1) + 1),
           folded = $4 || substr(folded, length($5) + 1)
         WHERE deleted_at IS NULL AND name >= $1 AND name < $2`,
        [from, end, to, searchFold(to), searchFold(from)],
      );
      await client.query(
        `UPDATE folders SET path = $3 || substr(path, length($1) + 1),
           parent = CASE WHEN path = $1 THEN $4 ELSE $3 || substr(parent, length($1) + 1) END
         WHERE path >= $1 AND path < $2`,
        [from, end, to, parentOf(toName)],
      );
      // The folders above both ends lose or gain the moved files (none of them directly).
      const deltas = folderDeltas([
        [from.slice(0, -1), -count],
        [toName, count],
      ]).map((d) => ({ ...d, direct: 0 }));
      await this.#count(client, deltas);
      return count;
    });
  }

  async discard(ids: readonly string[]): Promise<void> {
    const valid = ids.filter((id) => isFileId(id));
    if (valid.length === 0) return;
    await this.#transaction(async (client) => {
      const { rows } = await client.query<{ name: string; object_key: string; live: boolean }>(
        `DELETE FROM files WHERE id = ANY($1::uuid[]) RETURNING name, object_key, deleted_at IS NULL AS live`,
        [valid],
      );
      await client.query(
        `INSERT INTO garbage (object_key, due_at) SELECT k, ${now} FROM unnest($1::text[]) AS k
         ON CONFLICT DO NOTHING`,
        [rows.map((row) => row.object_key)],
      );
      await this.#count(
        client,
        folderDeltas(rows.filter((row) => row.live).map((row) => [row.name, -1])),
      );
    });
  }

  async trashFiles(ids: readonly string[]): Promise<string[]> {
    const valid = ids.filter((id) => isFileId(id));
    if (valid.length === 0) return [];
    return this.#transaction(async (client) => {
      const { rows } = await client.query<{ id: string; name: string }>(
        `UPDATE files SET deleted_at = ${now} WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL RETURNING id, name`,
        [valid],
      );
      await this.#count(client, folderDeltas(rows.map((row) => [row.name, -1])));
      return rows.map((row) => row.id);
    });
  }

  async restore(ids: readonly string[]): Promise<FileRecord[]> {
    const valid = ids.filter((id) => isFileId(id));
    if (valid.length === 0) return [];
    return this.#transaction(async (client) => {
      const { rows } = await client.query<Row>(
        `SELECT ${columns} FROM files WHERE id = ANY($1::uuid[]) AND deleted_at IS NOT NULL ORDER BY name FOR UPDATE`,
        [valid],
      );
      await this.#lock(
        client,
        rows.flatMap((row) => lockedNames(row.name)),
      );
      const names = new Set<string>();
      for (const row of rows) {
        if (names.has(row.name) || (await this.#firstFile(client, [row.name])) !== undefined)
          throw nameTakenOnRestore(row.name);
        names.add(row.name);
        await this.#checkFolderRule(client, row.name);
      }
      // Restored files may not sit where another restored file needs a folder.
      for (const name of names) {
        for (const other of names)
          if (other.startsWith(`${name}/`)) throw parentIsFile(name, other);
      }
      const restored = await client.query<Row>(
        `UPDATE files SET deleted_at = NULL WHERE id = ANY($1::uuid[]) RETURNING ${columns}`,
        [rows.map((row) => row.id)],
      );
      await this.#count(client, folderDeltas(rows.map((row) => [row.name, 1])));
      return restored.rows.map(toRecord);
    });
  }

  async emptyTrash(): Promise<number> {
    return this.#purge('deleted_at IS NOT NULL', []);
  }

  async purgeTrash(before: Date): Promise<number> {
    return this.#purge('deleted_at < $1', [before]);
  }

  /** Forgets files in the trash; their bytes become garbage, due now. */
  async #purge(condition: string, params: unknown[]): Promise<number> {
    const { rows } = await this.#call(() =>
      this.#db.query<{ count: number }>(
        `WITH gone AS (DELETE FROM files WHERE ${condition} RETURNING object_key),
              kept AS (INSERT INTO garbage (object_key, due_at) SELECT object_key, ${now} FROM gone
                       ON CONFLICT DO NOTHING)
         SELECT count(*) AS count FROM gone`,
        params,
      ),
    );
    return rows[0]?.count ?? 0;
  }

  async expireWrites(before: Date): Promise<number> {
    const { rows } = await this.#call(() =>
      this.#db.query<{ count: number }>(
        `WITH gone AS (DELETE FROM writes WHERE started_at < $1 RETURNING object_key),
              kept AS (INSERT INTO garbage (object_key, due_at) SELECT object_key, ${now} FROM gone
                       ON CONFLICT DO NOTHING)
         SELECT count(*) AS count FROM gone`,
        [before],
      ),
    );
    return rows[0]?.count ?? 0;
  }

  async adopt(file: Adopted): Promise<FileRecord> {
    return this.#transaction(async (client) => {
      await this.#lock(client, lockedNames(file.name));
      if ((await this.#firstFile(client, [file.name])) !== undefined)
        throw alreadyExists(file.name);
      await this.#checkFolderRule(client, file.name);
      const {
        rows: [row],
      } = await client.query<Row>(
        `INSERT INTO files (id, name, parent, folded, size, content_type, checksum, object_key, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${columns}`,
        [
          randomUUID(),
          file.name,
          parentOf(file.name),
          searchFold(file.name),
          file.size,
          file.contentType,
          file.checksum,
          file.key,
          file.createdAt,
          file.updatedAt,
        ],
      );
      await this.#count(client, folderDeltas([[file.name, 1]]));
      return toRecord(row as Row);
    });
  }

  async *keyUses(): AsyncGenerator<KeyUse> {
    const { rows } = await this.#call(() =>
      this.#db.query<{ key: string; use: KeyUse['use']; id: string | null; name: string | null }>(
        `SELECT object_key AS key, 'file' AS use, id::text AS id, name FROM files
         UNION ALL SELECT object_key, 'write', NULL, NULL FROM writes
         UNION ALL SELECT object_key, 'garbage', NULL, NULL FROM garbage`,
      ),
    );
    for (const row of rows)
      yield {
        key: row.key,
        use: row.use,
        ...(row.id && row.name ? { file: { id: row.id, name: row.name } } : {}),
      };
  }

  async once(task: string, work: () => Promise<void>): Promise<void> {
    const { client, release } = await this.#call(() => this.#hold());
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
    return this.#transaction(async (client) => {
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
