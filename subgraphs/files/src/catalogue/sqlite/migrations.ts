/**
 * The embedded catalogue's schema, one step per version (PRAGMA
 * user_version), the same tables as PostgreSQL's (postgres/migrations.ts):
 * times are milliseconds since 1970. Never edit a step that has shipped.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE files (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    parent TEXT NOT NULL,
    folded TEXT NOT NULL,
    size INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    checksum TEXT NOT NULL,
    object_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX files_live_name ON files (name) WHERE deleted_at IS NULL;
  CREATE INDEX files_live_parent ON files (parent, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_live_size ON files (size, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_live_updated ON files (updated_at, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_trash ON files (deleted_at, id) WHERE deleted_at IS NOT NULL;
  CREATE INDEX files_key ON files (object_key);

  CREATE TABLE folders (
    path TEXT PRIMARY KEY,
    parent TEXT,
    files INTEGER NOT NULL,
    direct INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX folders_parent ON folders (parent, path);
  INSERT INTO folders (path, parent, files, direct) VALUES ('', NULL, 0, 0);

  CREATE TABLE writes (object_key TEXT PRIMARY KEY, started_at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE garbage (object_key TEXT PRIMARY KEY, due_at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX garbage_due ON garbage (due_at);
  `,
  `
  CREATE TABLE tasks_done (task TEXT PRIMARY KEY, done_at INTEGER NOT NULL) WITHOUT ROWID;
  `,
];
