import { randomUUID } from 'node:crypto';
import type { Role } from '@filegraph/shared/identity';
import type { Logger } from '@filegraph/shared/logger';
import { SqliteDatabase } from '@filegraph/shared/sqlite';
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
import { throttleDelay, type Attempt, type ThrottlePolicy } from '@filegraph/shared/throttle';
import { migrations } from './migrations.ts';

interface UserRow {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  first_admin: number;
  created_at: number;
  disabled_at: number | null;
}

const userColumns = 'id, email, name, role, first_admin, created_at, disabled_at';

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    firstAdmin: row.first_admin === 1,
    createdAt: new Date(row.created_at),
    disabledAt: row.disabled_at === null ? undefined : new Date(row.disabled_at),
  };
}

interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
}

const tokenColumns = 'id, user_id, name, created_at, expires_at, last_used_at';

function toToken(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    createdAt: new Date(row.created_at),
    expiresAt: row.expires_at === null ? undefined : new Date(row.expires_at),
    lastUsedAt: row.last_used_at === null ? undefined : new Date(row.last_used_at),
  };
}

interface CredentialRow {
  key: string;
  user_id: string;
  role: Role;
  first_admin: number;
  disabled_at: number | null;
  last_used_at: number | null;
  expires_at: number | null;
}

function toCredential(row: CredentialRow): Credential {
  return {
    key: row.key,
    userId: row.user_id,
    role: row.role,
    firstAdmin: row.first_admin === 1,
    disabled: row.disabled_at !== null,
    lastUsedAt: row.last_used_at === null ? undefined : new Date(row.last_used_at),
    expiresAt: row.expires_at === null ? undefined : new Date(row.expires_at),
  };
}

/** SQLITE_CONSTRAINT_UNIQUE, the extended result code node:sqlite gives as `errcode`. */
const uniqueViolation = 2067;
const isUniqueViolation = (error: unknown) =>
  (error as { errcode?: unknown } | undefined)?.errcode === uniqueViolation;

/**
 * Accounts in SQLite (accounts.db), for the embedded default. node:sqlite
 * is synchronous: a transaction runs to its end before anything else in
 * the process, and BEGIN IMMEDIATE keeps another process on the same file
 * out meanwhile, which is all the locking the rules across users need.
 */
export class SqliteAccountStore implements AccountStore {
  readonly kind = 'sqlite' as const;
  readonly #database: SqliteDatabase;
  // Opening (the schema migrated), closing and checking are the database's.
  readonly open = () => this.#database.open();
  readonly close = () => this.#database.close();
  readonly check = () => this.#database.check();
  readonly #run = (sql: string) => this.#database.run(sql);
  readonly #transaction = <T>(work: () => T) => this.#database.transaction(work);

  constructor(path: string, logger: Logger) {
    this.#database = new SqliteDatabase(
      path,
      { migrations, migratedMessage: 'accounts schema migrated' },
      logger,
      'SqliteAccountStore',
    );
  }

  #user(id: string): UserRecord | undefined {
    const row = this.#run(`SELECT ${userColumns} FROM accounts_users WHERE id = ?`).get(id) as
      UserRow | undefined;
    return row && toUser(row);
  }

  #anyUser(): boolean {
    return this.#run('SELECT 1 FROM accounts_users LIMIT 1').get() !== undefined;
  }

  #insertUser(user: NewUser, now: Date, firstAdmin: boolean): UserRecord {
    const id = randomUUID();
    try {
      this.#run(
        'INSERT INTO accounts_users (id, email, name, role, password_hash, first_admin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        id,
        user.email,
        user.name,
        user.role,
        user.passwordHash,
        firstAdmin ? 1 : 0,
        now.getTime(),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw emailTaken();
      throw error;
    }
    return this.#user(id) as UserRecord;
  }

  async firstRun(plan: FirstRunPlan): Promise<FirstRun> {
    return this.#transaction((): FirstRun => {
      if (this.#anyUser()) {
        this.#run('DELETE FROM accounts_setup_code').run();
        return { outcome: 'accounts exist' };
      }
      if (plan.admin) {
        return { outcome: 'admin created', user: this.#insertUser(plan.admin, plan.now, true) };
      }
      const code = this.#run('SELECT created_at FROM accounts_setup_code WHERE id = 1').get() as
        { created_at: number } | undefined;
      if (code && code.created_at > plan.now.getTime() - plan.validMs)
        return { outcome: 'code exists', createdAt: new Date(code.created_at) };
      this.#run(
        `INSERT INTO accounts_setup_code (id, code_hash, created_at) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET code_hash = excluded.code_hash, created_at = excluded.created_at`,
      ).run(plan.codeHash, plan.now.getTime());
      return { outcome: 'code made' };
    });
  }

  async setup(codeHash: string, admin: NewUser, now: Date, validMs: number): Promise<Setup> {
    return this.#transaction((): Setup => {
      if (this.#anyUser()) return { outcome: 'accounts exist' };
      const code = this.#run(
        'SELECT code_hash, created_at FROM accounts_setup_code WHERE id = 1',
      ).get() as { code_hash: string; created_at: number } | undefined;
      const good =
        code !== undefined &&
        sameHash(code.code_hash, codeHash) &&
        code.created_at > now.getTime() - validMs;
      if (!good) return { outcome: 'wrong code' };
      const user = this.#insertUser({ ...admin, role: 'ADMIN' }, now, true);
      this.#run('DELETE FROM accounts_setup_code').run();
      return { outcome: 'done', user };
    });
  }

  async hasAccounts(): Promise<boolean> {
    return this.#anyUser();
  }

  async createUser(user: NewUser, now: Date): Promise<UserRecord> {
    return this.#insertUser(user, now, false);
  }

  async userById(id: string): Promise<UserRecord | undefined> {
    return this.#user(id);
  }

  async userByEmail(
    email: string,
  ): Promise<{ user: UserRecord; passwordHash: string } | undefined> {
    const row = this.#run(
      `SELECT ${userColumns}, password_hash FROM accounts_users WHERE email = ?`,
    ).get(email) as (UserRow & { password_hash: string }) | undefined;
    return row && { user: toUser(row), passwordHash: row.password_hash };
  }

  async passwordHashOf(userId: string): Promise<string | undefined> {
    const row = this.#run('SELECT password_hash FROM accounts_users WHERE id = ?').get(userId) as
      { password_hash: string } | undefined;
    return row?.password_hash;
  }

  async rehash(userId: string, oldHash: string, newHash: string): Promise<void> {
    this.#run('UPDATE accounts_users SET password_hash = ? WHERE id = ? AND password_hash = ?').run(
      newHash,
      userId,
      oldHash,
    );
  }

  async changePassword(
    userId: string,
    passwordHash: string,
    keepSession: string | undefined,
  ): Promise<void> {
    this.#transaction(() => {
      this.#run('UPDATE accounts_users SET password_hash = ? WHERE id = ?').run(
        passwordHash,
        userId,
      );
      this.#run('DELETE FROM accounts_sessions WHERE user_id = ? AND id_hash IS NOT ?').run(
        userId,
        keepSession ?? null,
      );
    });
  }

  async listUsers(afterEmail: string | undefined, limit: number): Promise<UserPage> {
    const rows = (afterEmail === undefined
      ? this.#run(`SELECT ${userColumns} FROM accounts_users ORDER BY email LIMIT ?`).all(limit + 1)
      : this.#run(
          `SELECT ${userColumns} FROM accounts_users WHERE email > ? ORDER BY email LIMIT ?`,
        ).all(afterEmail, limit + 1)) as unknown as UserRow[];
    const { n } = this.#run('SELECT count(*) AS n FROM accounts_users').get() as {
      n: number;
    };
    return {
      users: rows.slice(0, limit).map(toUser),
      hasMore: rows.length > limit,
      totalCount: n,
    };
  }

  /** Whether `user` is the only active admin (so it must stay one). */
  #lastActiveAdmin(user: UserRecord): boolean {
    if (user.role !== 'ADMIN' || user.disabledAt) return false;
    const { n } = this.#run(
      `SELECT count(*) AS n FROM accounts_users WHERE role = 'ADMIN' AND disabled_at IS NULL AND id <> ?`,
    ).get(user.id) as { n: number };
    return n === 0;
  }

  async setRole(id: string, role: Role): Promise<UserRecord> {
    return this.#transaction(() => {
      const user = this.#user(id);
      if (!user) throw noSuchUser();
      if (role === user.role) return user;
      if (role !== 'ADMIN' && this.#lastActiveAdmin(user)) throw lastAdmin();
      this.#run('UPDATE accounts_users SET role = ? WHERE id = ?').run(role, id);
      return this.#user(id) as UserRecord;
    });
  }

  async setDisabled(id: string, disabled: boolean, now: Date): Promise<UserRecord> {
    return this.#transaction(() => {
      const user = this.#user(id);
      if (!user) throw noSuchUser();
      if (disabled === (user.disabledAt !== undefined)) return user;
      if (disabled) {
        if (this.#lastActiveAdmin(user)) throw lastAdmin();
        this.#run('UPDATE accounts_users SET disabled_at = ? WHERE id = ?').run(now.getTime(), id);
        this.#run('DELETE FROM accounts_sessions WHERE user_id = ?').run(id);
        this.#run('DELETE FROM accounts_tokens WHERE user_id = ?').run(id);
      } else {
        this.#run('UPDATE accounts_users SET disabled_at = NULL WHERE id = ?').run(id);
      }
      return this.#user(id) as UserRecord;
    });
  }

  async createSession(session: NewSession, replacing: string | undefined): Promise<void> {
    this.#transaction(() => {
      if (replacing !== undefined)
        this.#run('DELETE FROM accounts_sessions WHERE id_hash = ?').run(replacing);
      const created = session.createdAt.getTime();
      this.#run(
        'INSERT INTO accounts_sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      ).run(session.idHash, session.userId, created, created, session.expiresAt.getTime());
    });
  }

  async session(idHash: string): Promise<Credential | undefined> {
    const row = this.#run(
      `SELECT s.id_hash AS key, s.user_id, u.role, u.first_admin, u.disabled_at,
              s.last_seen_at AS last_used_at, s.expires_at
       FROM accounts_sessions s JOIN accounts_users u ON u.id = s.user_id WHERE s.id_hash = ?`,
    ).get(idHash) as CredentialRow | undefined;
    return row && toCredential(row);
  }

  async touchSession(idHash: string, now: Date, since: Date): Promise<void> {
    this.#run(
      'UPDATE accounts_sessions SET last_seen_at = ? WHERE id_hash = ? AND last_seen_at <= ?',
    ).run(now.getTime(), idHash, since.getTime());
  }

  async deleteSession(idHash: string, userId: string): Promise<boolean> {
    const { changes } = this.#run(
      'DELETE FROM accounts_sessions WHERE id_hash = ? AND user_id = ?',
    ).run(idHash, userId);
    return Number(changes) > 0;
  }

  async createToken(token: NewToken, max: number): Promise<TokenRecord> {
    return this.#transaction(() => {
      const { n } = this.#run('SELECT count(*) AS n FROM accounts_tokens WHERE user_id = ?').get(
        token.userId,
      ) as { n: number };
      if (n >= max) throw tooManyTokens(max);
      this.#run(
        'INSERT INTO accounts_tokens (id, user_id, name, secret_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(
        token.id,
        token.userId,
        token.name,
        token.secretHash,
        token.createdAt.getTime(),
        token.expiresAt?.getTime() ?? null,
      );
      return toToken(
        this.#run(`SELECT ${tokenColumns} FROM accounts_tokens WHERE id = ?`).get(
          token.id,
        ) as unknown as TokenRow,
      );
    });
  }

  async tokensOf(userId: string): Promise<TokenRecord[]> {
    const rows = this.#run(
      `SELECT ${tokenColumns} FROM accounts_tokens WHERE user_id = ? ORDER BY created_at, id`,
    ).all(userId) as unknown as TokenRow[];
    return rows.map(toToken);
  }

  async deleteToken(userId: string, id: string): Promise<boolean> {
    const { changes } = this.#run('DELETE FROM accounts_tokens WHERE id = ? AND user_id = ?').run(
      id,
      userId,
    );
    return Number(changes) > 0;
  }

  async token(secretHash: string): Promise<Credential | undefined> {
    const row = this.#run(
      `SELECT t.id AS key, t.user_id, u.role, u.first_admin, u.disabled_at, t.last_used_at, t.expires_at
       FROM accounts_tokens t JOIN accounts_users u ON u.id = t.user_id WHERE t.secret_hash = ?`,
    ).get(secretHash) as CredentialRow | undefined;
    return row && toCredential(row);
  }

  async touchToken(id: string, now: Date, since: Date): Promise<void> {
    this.#run(
      'UPDATE accounts_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)',
    ).run(now.getTime(), id, since.getTime());
  }

  async attempt(key: string, now: Date, policy: ThrottlePolicy): Promise<Attempt> {
    const at = now.getTime();
    return this.#transaction((): Attempt => {
      const row = this.#run('SELECT failures, last_at FROM accounts_throttle WHERE key = ?').get(
        key,
      ) as { failures: number; last_at: number } | undefined;
      const fresh = !row || row.last_at <= at - policy.forgetMs;
      const failures = fresh ? 0 : row.failures;
      const retryAt = fresh ? at : row.last_at + throttleDelay(failures, policy);
      if (retryAt > at) return { allowed: false, retryAt };
      this.#run(
        `INSERT INTO accounts_throttle (key, failures, last_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at`,
      ).run(key, failures + 1, at);
      return { allowed: true };
    });
  }

  async forgive(key: string, clear: boolean): Promise<void> {
    if (clear) this.#run('DELETE FROM accounts_throttle WHERE key = ?').run(key);
    else
      this.#run('UPDATE accounts_throttle SET failures = max(failures - 1, 0) WHERE key = ?').run(
        key,
      );
  }

  async prune(now: Date, idleMs: number, forgetMs: number): Promise<number> {
    const at = now.getTime();
    return this.#transaction(() => {
      const sessions = this.#run(
        'DELETE FROM accounts_sessions WHERE expires_at <= ? OR last_seen_at <= ?',
      ).run(at, at - idleMs).changes;
      const counters = this.#run('DELETE FROM accounts_throttle WHERE last_at <= ?').run(
        at - forgetMs,
      ).changes;
      return Number(sessions) + Number(counters);
    });
  }
}
