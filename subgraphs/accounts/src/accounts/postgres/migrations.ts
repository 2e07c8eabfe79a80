/**
 * The accounts schema in PostgreSQL, one step per version (recorded in
 * accounts_schema_migrations), each applied in its own transaction; never
 * edit a step that has shipped, add one. Every table is named accounts_*:
 * they share the database with the files catalogue and never clash with it.
 *
 * Secrets are kept as SHA-256 only (sessions, tokens, the setup code) and
 * passwords as Argon2id PHC strings. `accounts_throttle` counts sign-in
 * failures per account and per client address (last_at in ms since 1970,
 * as the replicas' clocks give it).
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE accounts_users (
    id uuid PRIMARY KEY,
    email text COLLATE "C" NOT NULL,
    name text,
    role text NOT NULL CHECK (role IN ('ADMIN', 'MEMBER')),
    password_hash text NOT NULL,
    first_admin boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    disabled_at timestamptz
  );
  CREATE UNIQUE INDEX accounts_users_email ON accounts_users (email);
  CREATE UNIQUE INDEX accounts_users_first_admin ON accounts_users (first_admin) WHERE first_admin;

  CREATE TABLE accounts_sessions (
    id_hash text PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES accounts_users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
  );
  CREATE INDEX accounts_sessions_user ON accounts_sessions (user_id);
  CREATE INDEX accounts_sessions_expires ON accounts_sessions (expires_at);

  CREATE TABLE accounts_tokens (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES accounts_users (id) ON DELETE CASCADE,
    name text NOT NULL,
    secret_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    last_used_at timestamptz
  );
  CREATE INDEX accounts_tokens_user ON accounts_tokens (user_id, created_at);

  CREATE TABLE accounts_throttle (
    key text PRIMARY KEY,
    failures integer NOT NULL,
    last_at bigint NOT NULL
  );
  CREATE INDEX accounts_throttle_last ON accounts_throttle (last_at);

  CREATE TABLE accounts_setup_code (
    id integer PRIMARY KEY CHECK (id = 1),
    code_hash text NOT NULL,
    created_at timestamptz NOT NULL
  );
  `,
];
