import { randomUUID } from 'node:crypto';
import type { FileRecord, KeyUse, ShareRecord } from './Catalogue.ts';
import { parentOf, searchFold } from './paths.ts';

// The rows of `files` and `share_links` as either driver returns them: the
// same columns, times as the driver gives them (`Date` from node-postgres,
// milliseconds since 1970 from SQLite; see postgres/rows.ts, sqlite/rows.ts).

const fileColumnNames = [
  'id',
  'owner',
  'name',
  'size',
  'content_type',
  'checksum',
  'object_key',
  'created_at',
  'updated_at',
  'deleted_at',
];
export const fileColumns = fileColumnNames.join(', ');
/** The columns of a table aliased `alias` (an UPDATE … FROM returns both tables' otherwise). */
export const qualifiedFileColumns = (alias: string) =>
  fileColumnNames.map((name) => `${alias}.${name}`).join(', ');

/** The columns of a new file's row, in the order `newFileRow` gives their values. */
export const newFileColumns =
  'id, owner, name, parent, folded, size, content_type, checksum, object_key, created_at, updated_at';

/** A new file's row, with a new id; its times as the driver keeps them. */
export function newFileRow<Time>(
  owner: string,
  name: string,
  stored: { size: number; contentType: string; checksum: string; key: string },
  createdAt: Time,
  updatedAt: Time,
) {
  return [
    randomUUID(),
    owner,
    name,
    parentOf(name),
    searchFold(name),
    stored.size,
    stored.contentType,
    stored.checksum,
    stored.key,
    createdAt,
    updatedAt,
  ] as const;
}

export interface FileRow<Time> {
  id: string;
  owner: string;
  name: string;
  size: number;
  content_type: string;
  checksum: string;
  object_key: string;
  created_at: Time;
  updated_at: Time;
  deleted_at: Time | null;
}

export function toFileRecord<Time>(row: FileRow<Time>, toDate: (time: Time) => Date): FileRecord {
  return {
    id: row.id,
    owner: row.owner,
    name: row.name,
    size: row.size,
    contentType: row.content_type,
    checksum: row.checksum,
    key: row.object_key,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    deletedAt: row.deleted_at === null ? undefined : toDate(row.deleted_at),
  };
}

export const shareColumns =
  'id, file_id, created_by, password_hash, expires_at, created_at, failures, last_failure_at';

export interface ShareRow<Time> {
  id: string;
  file_id: string;
  created_by: string;
  password_hash: string | null;
  expires_at: Time;
  created_at: Time;
  failures: number;
  last_failure_at: Time | null;
}

export function toShareRecord<Time>(
  row: ShareRow<Time>,
  toDate: (time: Time) => Date,
): ShareRecord {
  return {
    id: row.id,
    fileId: row.file_id,
    createdBy: row.created_by,
    passwordHash: row.password_hash ?? undefined,
    expiresAt: toDate(row.expires_at),
    createdAt: toDate(row.created_at),
    failures: row.failures,
    lastFailureAt: row.last_failure_at === null ? undefined : toDate(row.last_failure_at),
  };
}

/** A row of the key-use query both drivers run (files, then writes, then garbage). */
export interface KeyUseRow {
  readonly key: string;
  readonly use: KeyUse['use'];
  readonly id: string | null;
  readonly name: string | null;
}

export function toKeyUse(row: KeyUseRow): KeyUse {
  return {
    key: row.key,
    use: row.use,
    ...(row.id && row.name ? { file: { id: row.id, name: row.name } } : {}),
  };
}
