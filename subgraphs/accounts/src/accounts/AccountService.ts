import { randomUUID } from 'node:crypto';
import { AppError } from '@filegraph/shared/errors';
import { admin, signedIn, type Caller, type Identity, type Role } from '@filegraph/shared/identity';
import type { Logger } from '@filegraph/shared/logger';
import type { AccountStore, NewUser, TokenRecord, UserRecord } from './AccountStore.ts';
import { decodeUserCursor, encodeUserCursor } from './cursors.ts';
import { emailProblem, normalizeEmail } from './emails.ts';
import { displayName, nameProblem } from './names.ts';
import {
  dummyHash,
  hashPassword,
  needsRehash,
  passwordLength,
  passwordProblem,
  verifyPassword,
} from '@filegraph/shared/passwords';
import {
  isApiToken,
  isSessionId,
  newApiToken,
  newSessionId,
  newSetupCode,
  normalizeSetupCode,
  secretHash,
} from './secrets.ts';
import { throttlePolicy, type ThrottlePolicy } from '@filegraph/shared/throttle';

export interface AccountServiceOptions {
  /** SIGNUP */
  readonly signup: 'open' | 'closed';
  /** SESSION_IDLE_TIMEOUT */
  readonly sessionIdleMs: number;
  /** SESSION_LIFETIME */
  readonly sessionLifetimeMs: number;
  /** ADMIN_EMAIL and ADMIN_PASSWORD */
  readonly admin: { readonly email: string; readonly password: string } | undefined;
  /** Internal, for tests: sign-in throttling. */
  readonly throttle?: ThrottlePolicy;
  /** Internal, for tests: the clock. */
  readonly now?: () => Date;
}

/** A session handed to the gateway (which makes it the HttpOnly cookie). */
export interface IssuedSession {
  /** The session id itself: 32 random bytes, base64url; the store keeps its SHA-256 only. */
  readonly id: string;
  readonly maxAgeSeconds: number;
}

export interface SignedIn {
  readonly user: UserRecord;
  readonly session: IssuedSession;
}

export interface NewUserInput {
  readonly email: string;
  readonly password: string;
  readonly name?: string | null;
  readonly role?: Role | null;
}

export interface UsersPage {
  readonly users: readonly UserRecord[];
  readonly hasMore: boolean;
  readonly endCursor: string | null;
  readonly totalCount: number;
}

/** A setup code is good this long; a start after that makes a new one. */
export const setupCodeValidMs = 30 * 60_000;
export const maxTokensPerUser = 100;
export const maxTokenDays = 3_650;
/** Sessions' last use and tokens' are written at most this often per credential. */
const touchEveryMs = 60_000;
const pruneEveryMs = 3_600_000;

const wrongCredentials = () => new AppError('UNAUTHENTICATED', 'The email or password is wrong.');

const badInput = (message: string) => new AppError('BAD_USER_INPUT', message);

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Accounts: who may sign in and how, sessions and API tokens, and who may
 * manage whom. Resolvers and the /identity route are thin layers over this.
 */
export class AccountService {
  readonly #store: AccountStore;
  readonly #options: AccountServiceOptions;
  readonly #logger: Logger;
  readonly #policy: ThrottlePolicy;
  readonly #now: () => Date;
  #pruning: NodeJS.Timeout | undefined;

  constructor(store: AccountStore, options: AccountServiceOptions, logger: Logger) {
    this.#store = store;
    this.#options = options;
    this.#logger = logger;
    this.#policy = options.throttle ?? throttlePolicy;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * At start, once the store is open: with ADMIN_EMAIL and no account yet,
   * that admin is made; with neither, a one-time setup code is made (or
   * the one another replica just made is kept) and the replica that made
   * it logs it. Replicas starting together agree under the store's lock.
   */
  async firstRun(): Promise<void> {
    // Made now, so the first sign-in with an unknown email costs no more than any other.
    await dummyHash();
    const given = this.#options.admin;
    if (given && (await this.#store.hasAccounts())) {
      this.#logger.info('accounts exist; ADMIN_EMAIL and ADMIN_PASSWORD are not used');
      return;
    }
    const now = this.#now();
    const code = newSetupCode();
    const result = await this.#store.firstRun({
      now,
      admin: given && {
        email: given.email,
        name: null,
        role: 'ADMIN',
        passwordHash: await hashPassword(given.password),
      },
      codeHash: secretHash(normalizeSetupCode(code)),
      validMs: setupCodeValidMs,
    });
    const validUntil = (from: Date) => new Date(from.getTime() + setupCodeValidMs).toISOString();
    switch (result.outcome) {
      case 'accounts exist':
        if (given) this.#logger.info('accounts exist; ADMIN_EMAIL and ADMIN_PASSWORD are not used');
        return;
      case 'admin created':
        this.#logger.info('first admin created from ADMIN_EMAIL', { email: result.user.email });
        return;
      case 'code made':
        this.#logger.warn(
          'no account yet: create the first admin with this one-time setup code (the setup mutation or the web UI); it is good for 30 minutes, a start after that logs a new one',
          { setupCode: code, validUntil: validUntil(now) },
        );
        return;
      case 'code exists':
        this.#logger.warn(
          'no account yet: another start made a one-time setup code and logged it; use that one, or restart after it expires for a new one',
          { madeAt: result.createdAt.toISOString(), validUntil: validUntil(result.createdAt) },
        );
    }
  }

  /** Forgets ended sessions and old throttle counters now and every hour. */
  startPruning(): void {
    const prune = () =>
      this.#store
        .prune(this.#now(), this.#options.sessionIdleMs, this.#policy.forgetMs)
        .then((rows) => rows > 0 && this.#logger.debug('pruned', { rows }))
        .catch((error: unknown) => this.#logger.warn('pruning failed', { err: error }));
    // prune() catches and logs its own failure: nothing to await.
    void prune();
    this.#pruning = setInterval(() => void prune(), pruneEveryMs).unref();
  }

  stopPruning(): void {
    clearInterval(this.#pruning);
  }

  /**
   * Who a session id (the cookie's value) or an API token stands for, for
   * the gateway: null when it is unknown, ended, expired, revoked, or its
   * user is disabled. One indexed lookup; its last use is written at most
   * once a minute.
   */
  async resolve(credentials: {
    session: string | null;
    token: string | null;
  }): Promise<Caller | null> {
    const now = this.#now();
    const { session, token } = credentials;
    if (session && isSessionId(session)) {
      const found = await this.#store.session(secretHash(session));
      const { sessionIdleMs } = this.#options;
      const lastSeen = found?.lastUsedAt?.getTime() ?? 0;
      if (
        found &&
        !found.disabled &&
        (found.expiresAt?.getTime() ?? 0) > now.getTime() &&
        lastSeen + sessionIdleMs > now.getTime()
      ) {
        // Often enough that a session in use never looks idle, whatever the idle timeout.
        const every = Math.min(touchEveryMs, sessionIdleMs / 4);
        if (lastSeen <= now.getTime() - every)
          await this.#store.touchSession(found.key, now, new Date(now.getTime() - every));
        return { id: found.userId, role: found.role, firstAdmin: found.firstAdmin };
      }
    }
    if (token && isApiToken(token)) {
      const found = await this.#store.token(secretHash(token));
      const expiresAt = found?.expiresAt?.getTime() ?? Infinity;
      if (found && !found.disabled && expiresAt > now.getTime()) {
        const lastUsed = found.lastUsedAt?.getTime() ?? 0;
        if (lastUsed <= now.getTime() - touchEveryMs)
          await this.#store.touchToken(found.key, now, new Date(now.getTime() - touchEveryMs));
        return { id: found.userId, role: found.role, firstAdmin: found.firstAdmin };
      }
    }
    return null;
  }

  async me(identity: Identity): Promise<UserRecord | null> {
    if (!identity.caller) return null;
    const user = await this.#store.userById(identity.caller.id);
    return user && !user.disabledAt ? user : null;
  }

  /** A User another subgraph refers to (File.owner); signed-in callers only. */
  async reference(identity: Identity, id: string): Promise<UserRecord | null> {
    signedIn(identity);
    return (await this.#store.userById(id)) ?? null;
  }

  async setupNeeded(): Promise<boolean> {
    return !this.#options.admin && !(await this.#store.hasAccounts());
  }

  async users(
    identity: Identity,
    args: { first?: number | null; after?: string | null },
  ): Promise<UsersPage> {
    await this.#admin(identity);
    const first = args.first ?? 50;
    if (!Number.isInteger(first) || first < 0 || first > 1000)
      throw badInput(`first must be 0 to 1000 (got ${first}).`);
    const after = args.after ? decodeUserCursor(args.after) : undefined;
    const page = await this.#store.listUsers(after, first);
    const last = page.users.at(-1);
    return { ...page, endCursor: last ? encodeUserCursor(last.email) : null };
  }

  async tokens(identity: Identity): Promise<TokenRecord[]> {
    const user = await this.#active(identity);
    return this.#store.tokensOf(user.id);
  }

  /**
   * Signs in with a NEW session id (never one the client brought: that one,
   * `priorSession`, ends). Unknown email and wrong password fail alike and
   * cost alike (a hash is checked either way); throttled per email and per
   * client address.
   */
  async signIn(
    identity: Identity,
    rawEmail: string,
    password: string,
    priorSession: string | undefined,
  ): Promise<SignedIn> {
    const email = normalizeEmail(rawEmail);
    const problem = emailProblem(email);
    if (problem) throw badInput(`${capitalized(problem)}.`);
    const account = `account:${email}`;
    const address = identity.clientAddress ? `address:${identity.clientAddress}` : undefined;
    await this.#attempt(address, account);
    const found = await this.#store.userByEmail(email);
    const hash = found?.passwordHash ?? (await dummyHash());
    // Longer than any password can be: not worth hashing (and it says nothing about the account).
    const right =
      [...password].length <= passwordLength.max && (await verifyPassword(password, hash));
    if (!found || !right) throw wrongCredentials();
    await this.#forgive(address, account);
    if (found.user.disabledAt)
      throw new AppError('FORBIDDEN', 'This account is disabled; an admin can enable it again.');
    if (needsRehash(found.passwordHash))
      await this.#store.rehash(found.user.id, found.passwordHash, await hashPassword(password));
    return { user: found.user, session: await this.#openSession(found.user.id, priorSession) };
  }

  /** Ends the session the request came with (the gateway forwards its id). */
  async signOut(identity: Identity, session: string | undefined): Promise<boolean> {
    const caller = signedIn(identity);
    if (!session || !isSessionId(session)) return false;
    return this.#store.deleteSession(secretHash(session), caller.id);
  }

  /** A new password; every other session of the caller ends (the one in use stays). */
  async changePassword(
    identity: Identity,
    current: string,
    next: string,
    session: string | undefined,
  ): Promise<boolean> {
    const user = await this.#active(identity);
    const problem = passwordProblem(next);
    if (problem) throw badInput(`The new password is not allowed: ${problem}.`);
    const account = `account:${user.email}`;
    const address = identity.clientAddress ? `address:${identity.clientAddress}` : undefined;
    await this.#attempt(address, account);
    const hash = (await this.#store.passwordHashOf(user.id)) ?? (await dummyHash());
    const right =
      [...current].length <= passwordLength.max && (await verifyPassword(current, hash));
    if (!right) throw badInput('The current password is wrong; nothing was changed.');
    await this.#forgive(address, account);
    const keep = session && isSessionId(session) ? secretHash(session) : undefined;
    await this.#store.changePassword(user.id, await hashPassword(next), keep);
    return true;
  }

  /** An admin creates an account (a member unless `role` says otherwise). */
  async createUser(identity: Identity, input: NewUserInput): Promise<UserRecord> {
    await this.#admin(identity);
    return this.#store.createUser(await this.#newUser(input, input.role ?? 'MEMBER'), this.#now());
  }

  /** Anyone makes themselves a member account, when SIGNUP=open and the first admin exists. */
  async signUp(input: NewUserInput, priorSession: string | undefined): Promise<SignedIn> {
    if (this.#options.signup !== 'open')
      throw new AppError(
        'FORBIDDEN',
        'Sign-up is closed here (SIGNUP=closed): ask an admin to create your account.',
      );
    if (!(await this.#store.hasAccounts()))
      throw new AppError(
        'FORBIDDEN',
        'There is no admin yet: the first account is made with the setup code (setup), then sign-up opens.',
      );
    const user = await this.#store.createUser(await this.#newUser(input, 'MEMBER'), this.#now());
    return { user, session: await this.#openSession(user.id, priorSession) };
  }

  /** The first admin, made with the one-time setup code the service logged at start. */
  async setup(
    identity: Identity,
    code: string,
    input: NewUserInput,
    priorSession: string | undefined,
  ): Promise<SignedIn> {
    const noSetup = () =>
      new AppError(
        'FORBIDDEN',
        'An account exists already: setup is only for the first admin. Sign in instead.',
      );
    if (await this.#store.hasAccounts()) throw noSetup();
    const newUser = await this.#newUser(input, 'ADMIN');
    const address = identity.clientAddress ? `setup:${identity.clientAddress}` : undefined;
    await this.#attempt(address, undefined);
    const now = this.#now();
    const result = await this.#store.setup(
      secretHash(normalizeSetupCode(code)),
      newUser,
      now,
      setupCodeValidMs,
    );
    if (result.outcome === 'accounts exist') throw noSetup();
    if (result.outcome === 'wrong code')
      throw new AppError(
        'FORBIDDEN',
        'This setup code is wrong or has expired: use the one the accounts service logged at its start (good for 30 minutes; a restart after that logs a new one).',
      );
    await this.#forgive(address, undefined);
    this.#logger.info('first admin created with the setup code', { email: result.user.email });
    return { user: result.user, session: await this.#openSession(result.user.id, priorSession) };
  }

  async setRole(identity: Identity, id: string, role: Role): Promise<UserRecord> {
    await this.#admin(identity);
    return this.#store.setRole(id, role);
  }

  /** Disabling ends the user's sessions and revokes their tokens at once. */
  async setDisabled(identity: Identity, id: string, disabled: boolean): Promise<UserRecord> {
    await this.#admin(identity);
    return this.#store.setDisabled(id, disabled, this.#now());
  }

  /** A token for scripts: the secret is returned here once; the store keeps its SHA-256. */
  async createToken(
    identity: Identity,
    rawName: string,
    expiresInDays: number | null | undefined,
  ): Promise<{ token: string; info: TokenRecord }> {
    const user = await this.#active(identity);
    const name = displayName(rawName);
    if (name === null) throw badInput('A token needs a name, e.g. the script that uses it.');
    const problem = nameProblem(name, 'a token name');
    if (problem) throw badInput(`${capitalized(problem)}.`);
    if (
      expiresInDays !== null &&
      expiresInDays !== undefined &&
      (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > maxTokenDays)
    )
      throw badInput(
        `expiresInDays must be 1 to ${maxTokenDays} (got ${expiresInDays}); leave it out for a token that does not expire.`,
      );
    const now = this.#now();
    const token = newApiToken();
    const info = await this.#store.createToken(
      {
        id: randomUUID(),
        userId: user.id,
        name,
        secretHash: secretHash(token),
        createdAt: now,
        expiresAt:
          expiresInDays == null ? undefined : new Date(now.getTime() + expiresInDays * 86_400_000),
      },
      maxTokensPerUser,
    );
    return { token, info };
  }

  async revokeToken(identity: Identity, id: string): Promise<boolean> {
    const caller = signedIn(identity);
    if (!(await this.#store.deleteToken(caller.id, id)))
      throw new AppError('NOT_FOUND', 'You have no API token with this id; see the tokens query.');
    return true;
  }

  /** The caller's account, which must still exist and be enabled (the gateway may have cached who they are). */
  async #active(identity: Identity): Promise<UserRecord> {
    const caller = signedIn(identity);
    const user = await this.#store.userById(caller.id);
    if (!user || user.disabledAt)
      throw new AppError('UNAUTHENTICATED', 'This account is disabled or gone; sign in again.');
    return user;
  }

  /** The caller, an admin now (not only when the gateway last asked). */
  async #admin(identity: Identity): Promise<UserRecord> {
    admin(identity);
    const user = await this.#active(identity);
    if (user.role !== 'ADMIN') throw new AppError('FORBIDDEN', 'Only an admin may do this.');
    return user;
  }

  async #newUser(input: NewUserInput, role: Role): Promise<NewUser> {
    const emailIssue = emailProblem(input.email);
    if (emailIssue) throw badInput(`${capitalized(emailIssue)}.`);
    const passwordIssue = passwordProblem(input.password);
    if (passwordIssue) throw badInput(`${capitalized(passwordIssue)}.`);
    const name = displayName(input.name);
    const nameIssue = name === null ? undefined : nameProblem(name, 'a name');
    if (nameIssue) throw badInput(`${capitalized(nameIssue)}.`);
    return {
      email: normalizeEmail(input.email),
      name,
      role,
      passwordHash: await hashPassword(input.password),
    };
  }

  async #openSession(userId: string, prior: string | undefined): Promise<IssuedSession> {
    const id = newSessionId();
    const now = this.#now();
    const lifetime = this.#options.sessionLifetimeMs;
    await this.#store.createSession(
      {
        idHash: secretHash(id),
        userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + lifetime),
      },
      prior && isSessionId(prior) ? secretHash(prior) : undefined,
    );
    return { id, maxAgeSeconds: Math.floor(lifetime / 1000) };
  }

  /**
   * Counts one attempt for the client's address, then for the account;
   * TOO_MANY_REQUESTS, saying how long to wait, when either must wait.
   */
  async #attempt(address: string | undefined, account: string | undefined): Promise<void> {
    const now = this.#now();
    if (address) {
      const attempt = await this.#store.attempt(address, now, this.#policy);
      if (!attempt.allowed) throw this.#tooMany('from your address', attempt.retryAt, now);
    }
    if (account) {
      const attempt = await this.#store.attempt(account, now, this.#policy);
      if (!attempt.allowed) {
        // This attempt did not happen: the address gets its count back.
        if (address) await this.#store.forgive(address, false);
        throw this.#tooMany('for this account', attempt.retryAt, now);
      }
    }
  }

  /** After a success: the account starts again from zero; the address gets this attempt back. */
  async #forgive(address: string | undefined, account: string | undefined): Promise<void> {
    if (account) await this.#store.forgive(account, true);
    if (address) await this.#store.forgive(address, false);
  }

  #tooMany(where: string, retryAt: number, now: Date): AppError {
    const seconds = Math.max(1, Math.ceil((retryAt - now.getTime()) / 1000));
    return new AppError(
      'TOO_MANY_REQUESTS',
      `Too many failed attempts ${where}: try again in ${seconds} s (after ${new Date(retryAt).toISOString()}). Each further failure doubles the wait, up to ${Math.round(this.#policy.capMs / 60_000)} minutes.`,
    );
  }
}
