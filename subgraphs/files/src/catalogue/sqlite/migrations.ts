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
  // Accounts (issue 16): every file has an owner, names are unique per
  // owner, folders are counted per owner. Rows stored before are the
  // legacy owner's (Catalogue.ts legacyOwner) until the first admin claims
  // them. SQLite can't change a primary key (folders is rebuilt) nor drop a
  // column's default (it only fills existing rows: every writer names the owner).
  `
  ALTER TABLE files ADD COLUMN owner TEXT NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';
  DROP INDEX files_live_name;
  DROP INDEX files_live_parent;
  DROP INDEX files_live_size;
  DROP INDEX files_live_updated;
  DROP INDEX files_trash;
  CREATE UNIQUE INDEX files_live_name ON files (owner, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_live_parent ON files (owner, parent, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_live_size ON files (owner, size, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_live_updated ON files (owner, updated_at, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_trash ON files (owner, deleted_at, id) WHERE deleted_at IS NOT NULL;

  CREATE TABLE owned_folders (
    owner TEXT NOT NULL,
    path TEXT NOT NULL,
    parent TEXT,
    files INTEGER NOT NULL,
    direct INTEGER NOT NULL,
    PRIMARY KEY (owner, path)
  ) WITHOUT ROWID;
  INSERT INTO owned_folders (owner, path, parent, files, direct)
    SELECT '00000000-0000-0000-0000-000000000000', path, parent, files, direct FROM folders;
  DROP TABLE folders;
  ALTER TABLE owned_folders RENAME TO folders;
  CREATE INDEX folders_parent ON folders (owner, parent, path);

  CREATE TABLE share_links (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    file_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    password_hash TEXT,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX share_links_created_by ON share_links (created_by, created_at);
  CREATE INDEX share_links_file ON share_links (file_id, created_at);
  `,
  // A share link's wrong passwords in a row, and when the last one came:
  // guesses wait as sign-in's do (@filegraph/shared/throttle).
  `
  ALTER TABLE share_links ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE share_links ADD COLUMN last_failure_at INTEGER;
  `,
  // The usage summary (issue 17): one row, read by the usage page instead of counting every file.
  `
  CREATE TABLE usage_summary (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    computed_at INTEGER NOT NULL,
    figures TEXT NOT NULL
  );
  `,
];
