/**
 * The catalogue's schema, one step per version, applied in order and each
 * in its own transaction; never edit a step that has shipped, add one.
 *
 * Names use the "C" collation: byte order, the order S3 lists keys in and
 * SQLite compares text in, so both drivers list alike. `folders` keeps, for
 * every folder that holds files, how many it holds in all and directly: the
 * first page of a folder and its totalCount need no count over millions of
 * rows. `writes` are uploads under way (their bytes are swept if they never
 * commit); `garbage` are keys whose bytes may go once `due_at` has passed.
 */
export const migrations: readonly string[] = [
  `
  CREATE EXTENSION IF NOT EXISTS pg_trgm;

  CREATE TABLE files (
    id uuid PRIMARY KEY,
    name text COLLATE "C" NOT NULL,
    parent text COLLATE "C" NOT NULL,
    folded text NOT NULL,
    size bigint NOT NULL,
    content_type text NOT NULL,
    checksum text NOT NULL,
    object_key text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz
  );
  CREATE UNIQUE INDEX files_live_name ON files (name) WHERE deleted_at IS NULL;
  CREATE INDEX files_live_parent ON files (parent, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_live_size ON files (size, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_live_parent_size ON files (parent, size, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_live_updated ON files (updated_at, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_live_parent_updated ON files (parent, updated_at, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_live_folded ON files USING gin (folded gin_trgm_ops) WHERE deleted_at IS NULL;
  CREATE INDEX files_trash ON files (deleted_at, id) WHERE deleted_at IS NOT NULL;
  CREATE INDEX files_key ON files (object_key);

  CREATE TABLE folders (
    path text COLLATE "C" PRIMARY KEY,
    parent text COLLATE "C",
    files bigint NOT NULL,
    direct bigint NOT NULL
  );
  CREATE INDEX folders_parent ON folders (parent, path);
  INSERT INTO folders (path, parent, files, direct) VALUES ('', NULL, 0, 0);

  CREATE TABLE writes (
    object_key text PRIMARY KEY,
    started_at timestamptz NOT NULL
  );

  CREATE TABLE garbage (
    object_key text PRIMARY KEY,
    due_at timestamptz NOT NULL
  );
  CREATE INDEX garbage_due ON garbage (due_at);
  `,
  `
  CREATE TABLE tasks_done (
    task text PRIMARY KEY,
    done_at timestamptz NOT NULL
  );
  `,
  // Accounts (issue 16): every file has an owner, names are unique per
  // owner, folders are counted per owner; the owner leads every index a
  // listing uses. Rows stored before are the legacy owner's (Catalogue.ts
  // legacyOwner) until the first admin claims them. The default only fills
  // existing rows: every writer names the owner.
  `
  ALTER TABLE files ADD COLUMN owner uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';
  ALTER TABLE files ALTER COLUMN owner DROP DEFAULT;
  DROP INDEX files_live_name, files_live_parent, files_live_size, files_live_parent_size,
    files_live_updated, files_live_parent_updated, files_trash;
  CREATE UNIQUE INDEX files_live_name ON files (owner, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_live_parent ON files (owner, parent, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_live_size ON files (owner, size, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_live_parent_size ON files (owner, parent, size, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_live_updated ON files (owner, updated_at, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_live_parent_updated ON files (owner, parent, updated_at, name) WHERE deleted_at IS NULL;
  CREATE INDEX files_trash ON files (owner, deleted_at, id) WHERE deleted_at IS NOT NULL;

  ALTER TABLE folders ADD COLUMN owner uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';
  ALTER TABLE folders ALTER COLUMN owner DROP DEFAULT;
  ALTER TABLE folders DROP CONSTRAINT folders_pkey;
  ALTER TABLE folders ADD PRIMARY KEY (owner, path);
  DROP INDEX folders_parent;
  CREATE INDEX folders_parent ON folders (owner, parent, path);

  -- A link dies with its file: trashing deletes it, purging cascades.
  CREATE TABLE share_links (
    id uuid PRIMARY KEY,
    token_hash text NOT NULL UNIQUE,
    file_id uuid NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    created_by uuid NOT NULL,
    password_hash text,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL
  );
  CREATE INDEX share_links_created_by ON share_links (created_by, created_at);
  CREATE INDEX share_links_file ON share_links (file_id, created_at);
  `,
  // A share link's wrong passwords in a row, and when the last one came:
  // guesses wait as sign-in's do (@filegraph/shared/throttle).
  `
  ALTER TABLE share_links
    ADD COLUMN failures integer NOT NULL DEFAULT 0,
    ADD COLUMN last_failure_at timestamptz;
  `,
  // The usage summary (issue 17): one row every replica reads, so opening the
  // usage page reads a row instead of counting every file.
  `
  CREATE TABLE usage_summary (
    id integer PRIMARY KEY CHECK (id = 1),
    computed_at timestamptz NOT NULL,
    figures text NOT NULL
  );
  `,
];
