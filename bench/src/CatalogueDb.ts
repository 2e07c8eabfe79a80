import { randomUUID } from 'node:crypto';
// The catalogue reached straight, beside filegraph, as DirectMinio reaches the bytes.
import pg from 'pg';
import { searchFold } from './searchFold.ts';

/** A file's row, as the catalogue keeps it. */
export interface CatalogueRow {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly checksum: string;
  /** Where its bytes are in the bucket. */
  readonly key: string;
}

/**
 * The owner of files stored before accounts (subgraphs/files Catalogue.ts
 * legacyOwner): a files replica gives them to the first admin at the
 * admin's first request to it.
 */
export const legacyOwner = '00000000-0000-0000-0000-000000000000';

/** What a row written by `insertFiles` says its file holds: its name and a newline. */
export function generatedContent(name: string): Buffer {
  return Buffer.from(`${name}\n`);
}

/**
 * One statement per batch: the rows, and the counts of every folder they
 * are in (all files, and files directly in it), as the catalogue keeps them.
 * Each row is consistent with `generatedContent` (size, SHA-256) and has a
 * key of its own, in the form keys.ts gives ("objects/ab/cd/<32 hex>"); the
 * bytes are not written.
 */
const insertFilesSql = `
WITH added AS (
  INSERT INTO files (id, owner, name, parent, folded, size, content_type, checksum, object_key, created_at, updated_at)
  SELECT gen_random_uuid(), $5::uuid, n.name, n.parent, n.folded, octet_length(c.bytes), 'text/plain',
         encode(sha256(c.bytes), 'hex'),
         'objects/' || substr(k.hex, 1, 2) || '/' || substr(k.hex, 3, 2) || '/' || k.hex,
         date_trunc('milliseconds', statement_timestamp()), date_trunc('milliseconds', statement_timestamp())
  FROM unnest($1::text[], $2::text[], $3::text[]) AS n(name, parent, folded)
  CROSS JOIN LATERAL (SELECT convert_to(n.name || E'\\n', 'UTF8') AS bytes) AS c
  CROSS JOIN LATERAL (SELECT md5($4 || n.name) AS hex) AS k
  RETURNING parent
), direct AS (
  SELECT parent AS path, count(*) AS files FROM added GROUP BY parent
), each_folder AS (
  -- Every folder a row is in: the top, and each folder of its parent's path.
  SELECT up.path, up.path = d.path AS is_direct, d.files
  FROM direct AS d
  CROSS JOIN LATERAL (
    SELECT '' AS path
    UNION ALL
    SELECT array_to_string(p.parts[1:k], '/') || '/'
    FROM (SELECT string_to_array(rtrim(d.path, '/'), '/') AS parts) AS p,
         generate_series(1, cardinality(p.parts)) AS k
  ) AS up
)
INSERT INTO folders (owner, path, parent, files, direct)
SELECT $5::uuid, path, CASE WHEN path = '' THEN NULL ELSE regexp_replace(path, '[^/]*/$', '') END,
       sum(files), coalesce(sum(files) FILTER (WHERE is_direct), 0)
FROM each_folder GROUP BY path
ON CONFLICT (owner, path) DO UPDATE SET files = folders.files + excluded.files,
  direct = folders.direct + excluded.direct`;

const rowColumns = 'id::text AS id, name, size, checksum, object_key AS key';

/**
 * The stack's catalogue (PostgreSQL), reached straight: where a file's
 * bytes are, rows written in bulk (a million in minutes, not through the
 * API), and the same SQL the files replicas send, as a baseline.
 */
export class CatalogueDb {
  readonly #pool: pg.Pool;

  constructor(url: string) {
    this.#pool = new pg.Pool({
      connectionString: url,
      max: 4,
      // bigint columns (sizes, counts) as numbers, as the files replicas read them.
      types: {
        getTypeParser: (oid, format) =>
          oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format),
      },
    });
    // An idle connection dropped as the stack stops must not end the bench.
    this.#pool.on('error', () => {});
  }

  async query<R extends object>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return (await this.#pool.query<R>(sql, [...params])).rows;
  }

  /** The live file with this name. */
  async file(name: string): Promise<CatalogueRow | undefined> {
    const [row] = await this.query<CatalogueRow>(
      `SELECT ${rowColumns} FROM files WHERE name = $1 AND deleted_at IS NULL`,
      [name],
    );
    return row;
  }

  /** The file with this id, live or in the trash. */
  async fileById(id: string): Promise<CatalogueRow | undefined> {
    const [row] = await this.query<CatalogueRow>(`SELECT ${rowColumns} FROM files WHERE id = $1`, [
      id,
    ]);
    return row;
  }

  /** The live files whose names begin with `prefix`, in name order. */
  filesUnder(prefix: string): Promise<CatalogueRow[]> {
    return this.query<CatalogueRow>(
      `SELECT ${rowColumns} FROM files WHERE deleted_at IS NULL AND starts_with(name, $1) ORDER BY name`,
      [prefix],
    );
  }

  /**
   * Writes rows for `names` (valid, normalised, not taken), `batch` per
   * statement, with their folders' counts, as `owner`'s files; see
   * insertFilesSql. Pass the id of the user the API is then asked as: rows
   * of the legacy owner are claimed only at the first admin's first
   * request to a replica, not when written later.
   */
  async insertFiles(names: readonly string[], batch = 20_000, owner = legacyOwner): Promise<void> {
    const salt = randomUUID();
    for (let start = 0; start < names.length; start += batch) {
      const slice = names.slice(start, start + batch);
      await this.#pool.query(insertFilesSql, [
        slice,
        slice.map((name) => name.slice(0, name.lastIndexOf('/') + 1)),
        slice.map(searchFold),
        salt,
        owner,
      ]);
    }
  }

  /** Fresh statistics and visibility after a bulk load, as autovacuum gives them shortly after. */
  async vacuumAnalyze(): Promise<void> {
    await this.#pool.query('VACUUM (ANALYZE) files, folders');
  }

  /** Bytes on disk: the files table (with its TOAST) and its indexes, and the folders table with its. */
  async sizes(): Promise<{ filesTable: number; filesIndexes: number; folders: number }> {
    const [row] = await this.query<{ filesTable: number; filesIndexes: number; folders: number }>(
      `SELECT pg_table_size('files') AS "filesTable", pg_indexes_size('files') AS "filesIndexes",
              pg_total_relation_size('folders') AS folders`,
    );
    if (!row) throw new Error('no sizes');
    return row;
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}
