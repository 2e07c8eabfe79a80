import type { Role } from '@filegraph/shared/identity';
import type { Attempt, ThrottlePolicy } from '@filegraph/shared/throttle';

/**
 * Where accounts live: users, browser sessions, API tokens, sign-in
 * throttling and the first run's setup code. Two drivers keep the same
 * promises, and one suite holds both to them: SQLite (accounts.db under
 * DATA_DIR) for the embedded default, PostgreSQL (tables accounts_*) for
 * the distributed stack, where every replica shares them.
 *
 * - Emails arrive normalized (emails.ts) and are unique.
 * - Session ids, tokens and setup codes arrive as their SHA-256 only.
 * - Times come from the caller (`now`), so replicas' clocks rule alike and
 *   tests can move time.
 * - What must hold across replicas (one first admin, one setup code, never
 *   no active admin, one throttle counter) holds under a lock.
 */

export interface UserRecord {
  readonly id: string;
  /** Normalized: trimmed, lower-case. */
  readonly email: string;
  readonly name: string | null;
  readonly role: Role;
  /** The first admin ever made (by ADMIN_EMAIL or setup): files from before accounts are theirs. */
  readonly firstAdmin: boolean;
  readonly createdAt: Date;
  readonly disabledAt: Date | undefined;
}

export interface NewUser {
  readonly email: string;
  readonly name: string | null;
  readonly role: Role;
  readonly passwordHash: string;
}

export interface UserPage {
  readonly users: readonly UserRecord[];
  readonly hasMore: boolean;
  readonly totalCount: number;
}

export interface NewSession {
  readonly idHash: string;
  readonly userId: string;
  readonly createdAt: Date;
  /** The absolute end (SESSION_LIFETIME after sign-in). */
  readonly expiresAt: Date;
}

export interface TokenRecord {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | undefined;
  readonly lastUsedAt: Date | undefined;
}

export interface NewToken {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly secretHash: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | undefined;
}

/** A session or token found by its hash, with what /identity needs of its user: one lookup. */
export interface Credential {
  /** The session's id hash or the token's id: what touch… takes. */
  readonly key: string;
  readonly userId: string;
  readonly role: Role;
  readonly firstAdmin: boolean;
  readonly disabled: boolean;
  readonly lastUsedAt: Date | undefined;
  readonly expiresAt: Date | undefined;
}

export interface FirstRunPlan {
  readonly now: Date;
  /** ADMIN_EMAIL and ADMIN_PASSWORD, when given. */
  readonly admin: NewUser | undefined;
  /** Otherwise, a setup code's hash to keep unless one still good (younger than `validMs`) is there. */
  readonly codeHash: string;
  readonly validMs: number;
}

export type FirstRun =
  | { readonly outcome: 'accounts exist' }
  | { readonly outcome: 'admin created'; readonly user: UserRecord }
  | { readonly outcome: 'code made' }
  | { readonly outcome: 'code exists'; readonly createdAt: Date };

export type Setup =
  | { readonly outcome: 'done'; readonly user: UserRecord }
  | { readonly outcome: 'accounts exist' }
  | { readonly outcome: 'wrong code' };

export interface AccountStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Connects and brings the schema up to date (safe when replicas start together). */
  open(): Promise<void>;
  close(): Promise<void>;
  /** Resolves when the store answers (readiness). */
  check(signal?: AbortSignal): Promise<void>;

  /** At start, under one lock: create ADMIN_EMAIL's admin, or keep one setup code, or nothing. */
  firstRun(plan: FirstRunPlan): Promise<FirstRun>;
  /** The setup code (hash) makes `admin` the first admin, once, while there is no account. */
  setup(codeHash: string, admin: NewUser, now: Date, validMs: number): Promise<Setup>;
  hasAccounts(): Promise<boolean>;

  /** CONFLICT when the email is taken. */
  createUser(user: NewUser, now: Date): Promise<UserRecord>;
  userById(id: string): Promise<UserRecord | undefined>;
  /** The user and password hash for an email, for signing in. */
  userByEmail(email: string): Promise<{ user: UserRecord; passwordHash: string } | undefined>;
  passwordHashOf(userId: string): Promise<string | undefined>;
  /** Replaces `oldHash` (when it is still the one) with a hash of the same password under today's parameters. */
  rehash(userId: string, oldHash: string, newHash: string): Promise<void>;
  /** A new password; every session of the user but `keepSession` (a hash) ends. */
  changePassword(
    userId: string,
    passwordHash: string,
    keepSession: string | undefined,
  ): Promise<void>;
  /** Users in email order, after `afterEmail`. */
  listUsers(afterEmail: string | undefined, limit: number): Promise<UserPage>;
  /** NOT_FOUND for no such user; CONFLICT when it would leave no active admin. */
  setRole(id: string, role: Role): Promise<UserRecord>;
  /**
   * Disabling ends the user's sessions and revokes their tokens; NOT_FOUND
   * for no such user; CONFLICT when it would leave no active admin.
   */
  setDisabled(id: string, disabled: boolean, now: Date): Promise<UserRecord>;

  /** A new session; `replacing` (a hash: the one the request came with) ends. */
  createSession(session: NewSession, replacing: string | undefined): Promise<void>;
  session(idHash: string): Promise<Credential | undefined>;
  /** Marks it used at `now` unless it was marked after `since` (once a minute, whoever does it). */
  touchSession(idHash: string, now: Date, since: Date): Promise<void>;
  /** Ends a session of `userId`; whether there was one. */
  deleteSession(idHash: string, userId: string): Promise<boolean>;

  /** CONFLICT when the user has `max` tokens already. */
  createToken(token: NewToken, max: number): Promise<TokenRecord>;
  tokensOf(userId: string): Promise<TokenRecord[]>;
  /** Revokes a token of `userId`; whether there was one. */
  deleteToken(userId: string, id: string): Promise<boolean>;
  token(secretHash: string): Promise<Credential | undefined>;
  touchToken(id: string, now: Date, since: Date): Promise<void>;

  /** Counts an attempt under `key` unless the policy says it must wait; atomic across replicas. */
  attempt(key: string, now: Date, policy: ThrottlePolicy): Promise<Attempt>;
  /** After a success: `clear` forgets the counter, else the attempt's own count is taken back. */
  forgive(key: string, clear: boolean): Promise<void>;

  /** Deletes sessions past their end and throttle counters past `forgetMs`; how many rows went. */
  prune(now: Date, idleMs: number, forgetMs: number): Promise<number>;
}
