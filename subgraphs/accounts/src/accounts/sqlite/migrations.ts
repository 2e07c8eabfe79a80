/**
 * accounts.db's schema, one step per version (PRAGMA user_version), the
 * same tables as PostgreSQL's (postgres/migrations.ts): times are
 * milliseconds since 1970, booleans 0 or 1. Never edit a
 * step that has shipped; add one.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE accounts_users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT,
    role TEXT NOT NULL CHECK (role IN ('ADMIN', 'MEMBER')),
    password_hash TEXT NOT NULL,
    first_admin INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    disabled_at INTEGER
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX accounts_users_first_admin ON accounts_users (first_admin) WHERE first_admin = 1;

  CREATE TABLE accounts_sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES accounts_users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX accounts_sessions_user ON accounts_sessions (user_id);
  CREATE INDEX accounts_sessions_expires ON accounts_sessions (expires_at);

  CREATE TABLE accounts_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES accounts_users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    last_used_at INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX accounts_tokens_user ON accounts_tokens (user_id, created_at);

  CREATE TABLE accounts_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX accounts_throttle_last ON accounts_throttle (last_at);

  CREATE TABLE accounts_setup_code (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    code_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  `,
];
