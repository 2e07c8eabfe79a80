import { randomBytes } from 'node:crypto';

/**
 * Where claimLegacy puts the legacy files whose names clash with the
 * claiming admin's (the same name, or one's file being the other's
 * folder): a new top folder, so both files are kept under names that
 * cannot clash with each other (they were valid together before). Random,
 * so that it is none of the admin's names.
 */
export function legacyFolder(): string {
  return `stored-before-accounts-${randomBytes(6).toString('hex')}/`;
}

/**
 * The legacy (`$1`) live files whose names clash with `$2`'s: the same
 * name, a name that is one of `$2`'s folders, or a name inside a folder
 * that is one of `$2`'s files. Driven by the claimant's rows, which are
 * few when this runs (it runs at the first admin's first request), and
 * the indexes that lead with the owner. Parameters: 1 the legacy owner, 2
 * the claimant, as `?1`/`?2` (SQLite) or `$1`/`$2` (PostgreSQL).
 */
export const clashesSql = (mark: '?' | '$') =>
  `
  SELECT l.id, l.name FROM files AS a
    JOIN files AS l ON l.owner = $1 AND l.name = a.name AND l.deleted_at IS NULL
    WHERE a.owner = $2 AND a.deleted_at IS NULL
  UNION
  SELECT l.id, l.name FROM folders AS f
    JOIN files AS l ON l.owner = $1 AND l.name = substr(f.path, 1, length(f.path) - 1)
      AND l.deleted_at IS NULL
    WHERE f.owner = $2 AND f.path <> ''
  UNION
  SELECT l.id, l.name FROM files AS a
    JOIN folders AS f ON f.owner = $1 AND f.path = a.name || '/'
    JOIN files AS l ON l.owner = $1 AND l.deleted_at IS NULL
      AND l.name >= f.path AND l.name < substr(f.path, 1, length(f.path) - 1) || '0'
    WHERE a.owner = $2 AND a.deleted_at IS NULL`.replace(
    /\$(\d)/g,
    (_, digit: string) => mark + digit,
  );
