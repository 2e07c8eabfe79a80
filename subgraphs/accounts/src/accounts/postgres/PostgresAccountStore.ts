import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Role } from '@filegraph/shared/identity';
import type { Logger } from '@filegraph/shared/logger';
import { PostgresDatabase, type PostgresOptions } from '@filegraph/shared/postgres';
import { isUniqueViolation } from '@filegraph/shared/postgresErrors';
import type {
  AccountStore,
  Credential,
  FirstRun,
  FirstRunPlan,
  NewSession,
  NewToken,
  NewUser,
  Setup,
  TokenRecord,
  UserPage,
  UserRecord,
} from '../AccountStore.ts';
import { emailTaken, lastAdmin, noSuchUser, tooManyTokens } from '../refusals.ts';
import { sameHash } from '../secrets.ts';
import { throttleDelays, type Attempt, type ThrottlePolicy } from '@filegraph/shared/throttle';
import { migrations } from './migrations.ts';

/**
 * Advisory lock keys (any numbers, as long as nothing else in the database
 * uses them; the files catalogue's migrations take 0x66696c65, "file").
 * "acct", "acc1", "acc2".
 */
const migrationLock = 0x61636374;
/** Held while the first admin or the setup code is decided. */
const firstRunLock = 0x61636331;
/** Held while a change could leave no active admin. */
const adminsLock = 0x61636332;

const userColumns = 'id, email, name, role, first_admin, created_at, disabled_at';

interface UserRow {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  first_admin: boolean;
  created_at: Date;
  disabled_at: Date | null;
}

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    firstAdmin: row.first_admin,
    createdAt: row.created_at,
    disabledAt: row.disabled_at ?? undefined,
  };
}

const tokenColumns = 'id, user_id, name, created_at, expires_at, last_used_at';

interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
}

function toToken(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    createdAt: row.created_at,
    expiresAt: row.expires_at ?? undefined,
    lastUsedAt: row.last_used_at ?? undefined,
  };
}

interface CredentialRow {
  key: string;
  user_id: string;
  role: Role;
  first_admin: boolean;
  disabled_at: Date | null;
  last_used_at: Date | null;
  expires_at: Date | null;
}

function toCredential(row: CredentialRow): Credential {
  return {
    key: row.key,
    userId: row.user_id,
    role: row.role,
    firstAdmin: row.first_admin,
    disabled: row.disabled_at !== null,
    lastUsedAt: row.last_used_at ?? undefined,
    expiresAt: row.expires_at ?? undefined,
  };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids are uuids: anything else names nothing (and must not reach a uuid column). */
const isId = (id: string) => uuid.test(id);

type Client = pg.PoolClient;
type Queryable = Pick<pg.Pool, 'query'>;

/** Accounts in PostgreSQL (tables accounts_*), shared by every replica of the distributed stack. */
export class PostgresAccountStore implements AccountStore {
  readonly kind = 'postgres' as const;
  readonly #database: PostgresDatabase;
  // Opening (the schema migrated), closing and checking are the database's.
  readonly open = () => this.#database.open();
  readonly close = () => this.#database.close();
  readonly check = () => this.#database.check();
  readonly #call = <T>(work: () => Promise<T>) => this.#database.call(work);
  readonly #transaction = <T>(work: (client: Client) => Promise<T>) =>
    this.#database.transaction(work);
  readonly #query = <Row extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
    this.#database.query<Row>(sql, params);

  constructor(options: PostgresOptions, logger: Logger) {
    // Migrations as the files catalogue's, with a lock and a migrations table of our own.
    this.#database = new PostgresDatabase(
      {
        ...options,
        store: 'accounts store',
        applicationName: 'filegraph-accounts',
        migrations: { lock: migrationLock, table: 'accounts_schema_migrations', steps: migrations },
        migratedMessage: 'accounts schema migrated',
      },
      logger,
      'PostgresAccountStore',
    );
  }

  get #db(): pg.Pool {
    return this.#database.pool;
  }

  async #user(db: Queryable, id: string, forUpdate = false): Promise<UserRecord | undefined> {
    if (!isId(id)) return undefined;
    const { rows } = await db.query<UserRow>(
      `SELECT ${userColumns} FROM accounts_users WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] && toUser(rows[0]);
  }

  async #anyUser(db: Queryable): Promise<boolean> {
    const { rowCount } = await db.query('SELECT 1 FROM accounts_users LIMIT 1');
    return rowCount !== 0;
  }

  async #insertUser(
    db: Queryable,
    user: NewUser,
    now: Date,
    firstAdmin: boolean,
  ): Promise<UserRecord> {
    try {
      const { rows } = await db.query<UserRow>(
        `INSERT INTO accounts_users (id, email, name, role, password_hash, first_admin, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${userColumns}`,
        [randomUUID(), user.email, user.name, user.role, user.passwordHash, firstAdmin, now],
      );
      return toUser(rows[0] as UserRow);
    } catch (error) {
      if (isUniqueViolation(error, 'accounts_users_email')) throw emailTaken();
      throw error;
    }
  }

  async firstRun(plan: FirstRunPlan): Promise<FirstRun> {
    return this.#transaction(async (client): Promise<FirstRun> => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [firstRunLock]);
      if (await this.#anyUser(client)) {
        await client.query('DELETE FROM accounts_setup_code');
        return { outcome: 'accounts exist' };
      }
      if (plan.admin) {
        const user = await this.#insertUser(client, plan.admin, plan.now, true);
        return { outcome: 'admin created', user };
      }
      const { rows } = await client.query<{ created_at: Date }>(
        'SELECT created_at FROM accounts_setup_code WHERE id = 1',
      );
      const code = rows[0];
      if (code && code.created_at.getTime() > plan.now.getTime() - plan.validMs)
        return { outcome: 'code exists', createdAt: code.created_at };
      await client.query(
        `INSERT INTO accounts_setup_code (id, code_hash, created_at) VALUES (1, $1, $2)
         ON CONFLICT (id) DO UPDATE SET code_hash = excluded.code_hash, created_at = excluded.created_at`,
        [plan.codeHash, plan.now],
      );
      return { outcome: 'code made' };
    });
  }

  async setup(codeHash: string, admin: NewUser, now: Date, validMs: number): Promise<Setup> {
    return this.#transaction(async (client): Promise<Setup> => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [firstRunLock]);
      if (await this.#anyUser(client)) return { outcome: 'accounts exist' };
      const { rows } = await client.query<{ code_hash: string; created_at: Date }>(
        'SELECT code_hash, created_at FROM accounts_setup_code WHERE id = 1',
      );
      const code = rows[0];
      const good =
        code !== undefined &&
        sameHash(code.code_hash, codeHash) &&
        code.created_at.getTime() > now.getTime() - validMs;
      if (!good) return { outcome: 'wrong code' };
      const user = await this.#insertUser(client, { ...admin, role: 'ADMIN' }, now, true);
      await client.query('DELETE FROM accounts_setup_code');
      return { outcome: 'done', user };
    });
  }

  async hasAccounts(): Promise<boolean> {
    return this.#call(() => this.#anyUser(this.#db));
  }

  async createUser(user: NewUser, now: Date): Promise<UserRecord> {
    return this.#call(() => this.#insertUser(this.#db, user, now, false));
  }

  async userById(id: string): Promise<UserRecord | undefined> {
    return this.#call(() => this.#user(this.#db, id));
  }

  async userByEmail(
    email: string,
  ): Promise<{ user: UserRecord; passwordHash: string } | undefined> {
    const { rows } = await this.#query<UserRow & { password_hash: string }>(
      `SELECT ${userColumns}, password_hash FROM accounts_users WHERE email = $1`,
      [email],
    );
    const row = rows[0];
    return row && { user: toUser(row), passwordHash: row.password_hash };
  }

  async passwordHashOf(userId: string): Promise<string | undefined> {
    if (!isId(userId)) return undefined;
    const { rows } = await this.#query<{ password_hash: string }>(
      'SELECT password_hash FROM accounts_users WHERE id = $1',
      [userId],
    );
    return rows[0]?.password_hash;
  }

  async rehash(userId: string, oldHash: string, newHash: string): Promise<void> {
    await this.#query(
      'UPDATE accounts_users SET password_hash = $1 WHERE id = $2 AND password_hash = $3',
      [newHash, userId, oldHash],
    );
  }

  async changePassword(
    userId: string,
    passwordHash: string,
    keepSession: string | undefined,
  ): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query('UPDATE accounts_users SET password_hash = $1 WHERE id = $2', [
        passwordHash,
        userId,
      ]);
      await client.query(
        'DELETE FROM accounts_sessions WHERE user_id = $1 AND id_hash IS DISTINCT FROM $2',
        [userId, keepSession ?? null],
      );
    });
  }

  async listUsers(afterEmail: string | undefined, limit: number): Promise<UserPage> {
    const [{ rows }, count] = await this.#call(() =>
      Promise.all([
        afterEmail === undefined
          ? this.#db.query<UserRow>(
              `SELECT ${userColumns} FROM accounts_users ORDER BY email LIMIT $1`,
              [limit + 1],
            )
          : this.#db.query<UserRow>(
              `SELECT ${userColumns} FROM accounts_users WHERE email > $1 ORDER BY email LIMIT $2`,
              [afterEmail, limit + 1],
            ),
        this.#db.query<{ n: number }>('SELECT count(*) AS n FROM accounts_users'),
      ]),
    );
    return {
      users: rows.slice(0, limit).map(toUser),
      hasMore: rows.length > limit,
      totalCount: count.rows[0]?.n ?? 0,
    };
  }

  /** Whether `user` is the only active admin (so it must stay one); under adminsLock. */
  async #lastActiveAdmin(client: Client, user: UserRecord): Promise<boolean> {
    if (user.role !== 'ADMIN' || user.disabledAt) return false;
    const { rowCount } = await client.query(
      `SELECT 1 FROM accounts_users WHERE role = 'ADMIN' AND disabled_at IS NULL AND id <> $1 LIMIT 1`,
      [user.id],
    );
    return rowCount === 0;
  }

  async setRole(id: string, role: Role): Promise<UserRecord> {
    return this.#transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [adminsLock]);
      const user = await this.#user(client, id, true);
      if (!user) throw noSuchUser();
      if (role === user.role) return user;
      if (role !== 'ADMIN' && (await this.#lastActiveAdmin(client, user))) throw lastAdmin();
      const { rows } = await client.query<UserRow>(
        `UPDATE accounts_users SET role = $1 WHERE id = $2 RETURNING ${userColumns}`,
        [role, id],
      );
      return toUser(rows[0] as UserRow);
    });
  }

  async setDisabled(id: string, disabled: boolean, now: Date): Promise<UserRecord> {
    return this.#transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [adminsLock]);
      const user = await this.#user(client, id, true);
      if (!user) throw noSuchUser();
      if (disabled === (user.disabledAt !== undefined)) return user;
      if (disabled && (await this.#lastActiveAdmin(client, user))) throw lastAdmin();
      const { rows } = await client.query<UserRow>(
        `UPDATE accounts_users SET disabled_at = $1 WHERE id = $2 RETURNING ${userColumns}`,
        [disabled ? now : null, id],
      );
      if (disabled) {
        await client.query('DELETE FROM accounts_sessions WHERE user_id = $1', [id]);
        await client.query('DELETE FROM accounts_tokens WHERE user_id = $1', [id]);
      }
      return toUser(rows[0] as UserRow);
    });
  }

  async createSession(session: NewSession, replacing: string | undefined): Promise<void> {
    await this.#query(
      `WITH ended AS (DELETE FROM accounts_sessions WHERE id_hash = $5)
       INSERT INTO accounts_sessions (id_hash, user_id, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $3, $4)`,
      [session.idHash, session.userId, session.createdAt, session.expiresAt, replacing ?? null],
    );
  }

  async session(idHash: string): Promise<Credential | undefined> {
    const { rows } = await this.#query<CredentialRow>(
      `SELECT s.id_hash AS key, s.user_id, u.role, u.first_admin, u.disabled_at,
              s.last_seen_at AS last_used_at, s.expires_at
       FROM accounts_sessions s JOIN accounts_users u ON u.id = s.user_id WHERE s.id_hash = $1`,
      [idHash],
    );
    return rows[0] && toCredential(rows[0]);
  }

  async touchSession(idHash: string, now: Date, since: Date): Promise<void> {
    await this.#query(
      'UPDATE accounts_sessions SET last_seen_at = $1 WHERE id_hash = $2 AND last_seen_at <= $3',
      [now, idHash, since],
    );
  }

  async deleteSession(idHash: string, userId: string): Promise<boolean> {
    if (!isId(userId)) return false;
    const { rowCount } = await this.#query(
      'DELETE FROM accounts_sessions WHERE id_hash = $1 AND user_id = $2',
      [idHash, userId],
    );
    return (rowCount ?? 0) > 0;
  }

  async createToken(token: NewToken, max: number): Promise<TokenRecord> {
    return this.#transaction(async (client) => {
      // The user's row, locked: two creations at once count one after the other.
      await client.query('SELECT 1 FROM accounts_users WHERE id = $1 FOR UPDATE', [token.userId]);
      const { rows: counted } = await client.query<{ n: number }>(
        'SELECT count(*) AS n FROM accounts_tokens WHERE user_id = $1',
        [token.userId],
      );
      if ((counted[0]?.n ?? 0) >= max) throw tooManyTokens(max);
      const { rows } = await client.query<TokenRow>(
        `INSERT INTO accounts_tokens (id, user_id, name, secret_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${tokenColumns}`,
        [
          token.id,
          token.userId,
          token.name,
          token.secretHash,
          token.createdAt,
          token.expiresAt ?? null,
        ],
      );
      return toToken(rows[0] as TokenRow);
    });
  }

  async tokensOf(userId: string): Promise<TokenRecord[]> {
    if (!isId(userId)) return [];
    const { rows } = await this.#query<TokenRow>(
      `SELECT ${tokenColumns} FROM accounts_tokens WHERE user_id = $1 ORDER BY created_at, id`,
      [userId],
    );
    return rows.map(toToken);
  }

  async deleteToken(userId: string, id: string): Promise<boolean> {
    if (!isId(userId) || !isId(id)) return false;
    const { rowCount } = await this.#query(
      'DELETE FROM accounts_tokens WHERE id = $1 AND user_id = $2',
      [id, userId],
    );
    return (rowCount ?? 0) > 0;
  }

  async token(secretHash: string): Promise<Credential | undefined> {
    const { rows } = await this.#query<CredentialRow>(
      `SELECT t.id AS key, t.user_id, u.role, u.first_admin, u.disabled_at, t.last_used_at, t.expires_at
       FROM accounts_tokens t JOIN accounts_users u ON u.id = t.user_id WHERE t.secret_hash = $1`,
      [secretHash],
    );
    return rows[0] && toCredential(rows[0]);
  }

  async touchToken(id: string, now: Date, since: Date): Promise<void> {
    await this.#query(
      'UPDATE accounts_tokens SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $3)',
      [now, id, since],
    );
  }

  /**
   * One statement, so replicas never both let an attempt through on one
   * count: the row is counted only when the wait after its failures so far
   * (the policy's table, indexed by them) has passed.
   */
  async attempt(key: string, now: Date, policy: ThrottlePolicy): Promise<Attempt> {
    const at = now.getTime();
    const delays = throttleDelays(policy);
    const last = delays.length - 1;
    const counted = await this.#query(
      `INSERT INTO accounts_throttle AS t (key, failures, last_at) VALUES ($1, 1, $2::bigint)
       ON CONFLICT (key) DO UPDATE
         SET failures = CASE WHEN t.last_at <= $2::bigint - $3::bigint THEN 1 ELSE t.failures + 1 END,
             last_at = $2::bigint
         WHERE t.last_at <= $2::bigint - $3::bigint
            OR t.last_at + ($4::bigint[])[least(t.failures, $5::int) + 1] <= $2::bigint
       RETURNING failures`,
      [key, at, policy.forgetMs, delays, last],
    );
    if (counted.rowCount !== 0) return { allowed: true };
    const { rows } = await this.#query<{ retry_at: number }>(
      `SELECT last_at + ($2::bigint[])[least(failures, $3::int) + 1] AS retry_at
       FROM accounts_throttle WHERE key = $1`,
      [key, delays, last],
    );
    return { allowed: false, retryAt: Math.max(rows[0]?.retry_at ?? at, at + 1) };
  }

  async forgive(key: string, clear: boolean): Promise<void> {
    await this.#query(
      clear
        ? 'DELETE FROM accounts_throttle WHERE key = $1'
        : 'UPDATE accounts_throttle SET failures = greatest(failures - 1, 0) WHERE key = $1',
      [key],
    );
  }

  async prune(now: Date, idleMs: number, forgetMs: number): Promise<number> {
    const [sessions, counters] = await this.#call(() =>
      Promise.all([
        this.#db.query(
          'DELETE FROM accounts_sessions WHERE expires_at <= $1 OR last_seen_at <= $2',
          [now, new Date(now.getTime() - idleMs)],
        ),
        this.#db.query('DELETE FROM accounts_throttle WHERE last_at <= $1', [
          now.getTime() - forgetMs,
        ]),
      ]),
    );
    return (sessions.rowCount ?? 0) + (counters.rowCount ?? 0);
  }
}
