import { statement } from '@filegraph/shared/postgres';
import { columns } from './rows.ts';

/** Times are kept to the millisecond, as cursors carry them. */
export const now = `date_trunc('milliseconds', statement_timestamp())`;
/** A time given in milliseconds since 1970, exactly (to_timestamp goes through a float). */
export const instant = (param: string) =>
  `('epoch'::timestamptz + ${param}::bigint * interval '1 millisecond')`;

/**
 * The statements every upload runs, planned once per connection: with
 * eight indexes on files, planning them cost more than running them.
 */
export const lockNames = statement(
  `SELECT CASE WHEN alone THEN pg_advisory_xact_lock(k) ELSE pg_advisory_xact_lock_shared(k) END
   FROM (SELECT hashtextextended(n, 0) AS k, alone FROM unnest($1::text[], $2::boolean[]) AS l (n, alone)
         ORDER BY n) AS locks`,
);
export const intendWrites = statement(
  `INSERT INTO writes (object_key, started_at) SELECT k, ${now} FROM unnest($1::text[]) AS k`,
);
export const liveForWrite = statement(
  `SELECT ${columns} FROM files
   WHERE owner = $3 AND deleted_at IS NULL AND (name = ANY($1::text[]) OR id = ANY($2::uuid[]))
   FOR UPDATE`,
);
export const aroundNewNames = statement(
  `SELECT true AS inside, n.name FROM unnest($1::text[], $2::text[], $3::text[]) AS n (name, low, high)
   WHERE EXISTS (SELECT 1 FROM files f WHERE f.owner = $5 AND f.deleted_at IS NULL
                 AND f.name >= n.low AND f.name < n.high)
   UNION ALL
   SELECT false, name FROM files WHERE owner = $5 AND deleted_at IS NULL AND name = ANY($4::text[])`,
);
export const insertNewFiles = statement(
  `INSERT INTO files (owner, id, name, parent, folded, size, content_type, checksum, object_key, created_at, updated_at)
   SELECT $9::uuid, *, ${now}, ${now} FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[],
     $5::bigint[], $6::text[], $7::text[], $8::text[])
   RETURNING ${columns}`,
);
export const writesDone = statement('DELETE FROM writes WHERE object_key = ANY($1::text[])');
export const countFolders = statement(
  `INSERT INTO folders (owner, path, parent, files, direct)
   SELECT $5::uuid, * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[])
   ON CONFLICT (owner, path) DO UPDATE SET files = folders.files + excluded.files,
     direct = folders.direct + excluded.direct`,
);
export const forgetEmptyFolders = statement(
  `DELETE FROM folders WHERE owner = $2 AND path = ANY($1::text[]) AND files = 0 AND path <> ''`,
);
