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
];
