import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AppError } from '@filegraph/shared/errors';
import type { Caller, Identity } from '@filegraph/shared/identity';
import { createLogger } from '@filegraph/shared/logger';
import { tempDir } from '@filegraph/testing/temp';
import { AccountService, type AccountServiceOptions } from '../../src/accounts/AccountService.ts';
import { hashPassword } from '@filegraph/shared/passwords';
import { SqliteAccountStore } from '../../src/accounts/sqlite/SqliteAccountStore.ts';

/**
 * The account rules that take time (throttling waits, session and token
 * expiry, the setup code's life), held in-process on SQLite with a clock
 * the test moves: minutes and days pass in no time.
 */

const day = 86_400_000;
const minute = 60_000;
const codeOf = (error: unknown) => (error as AppError).code;

interface Rig {
  readonly accounts: AccountService;
  readonly store: SqliteAccountStore;
  readonly logs: Array<Record<string, unknown>>;
  /** Moves the clock on. */
  pass(ms: number): void;
}

let folder: { path: string; remove(): Promise<void> };
let rigs = 0;
const stores: SqliteAccountStore[] = [];

async function rig(options: Partial<AccountServiceOptions> = {}, path?: string): Promise<Rig> {
  let now = Date.parse('2030-01-01T00:00:00Z');
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: 'info',
    format: 'json',
    write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  const store = new SqliteAccountStore(
    path ?? join(folder.path, `accounts-${(rigs += 1)}.db`),
    logger,
  );
  stores.push(store);
  await store.open();
  const accounts = new AccountService(
    store,
    {
      signup: 'closed',
      sessionIdleMs: 7 * day,
      sessionLifetimeMs: 30 * day,
      admin: undefined,
      now: () => new Date(now),
      ...options,
    },
    logger,
  );
  return { accounts, store, logs, pass: (ms) => void (now += ms) };
}

const anonymous = (clientAddress = '192.0.2.1'): Identity => ({
  caller: null,
  clientAddress,
  requestId: 'test',
});
const as = (caller: Caller, clientAddress = '192.0.2.1'): Identity => ({
  caller,
  clientAddress,
  requestId: 'test',
});

/** A rig with its first admin signed up through the setup code. */
async function withAdmin(options: Partial<AccountServiceOptions> = {}) {
  const r = await rig(options);
  await r.accounts.firstRun();
  const code = r.logs.find((log) => log.setupCode)?.setupCode as string;
  const { user, session } = await r.accounts.setup(
    anonymous(),
    code,
    { email: 'admin@example.com', password: 'admin password' },
    undefined,
  );
  const admin = as({ id: user.id, role: 'ADMIN', firstAdmin: true });
  return { ...r, admin, adminSession: session.id };
}

describe('account rules over time', () => {
  before(async () => {
    folder = await tempDir('accounts-service');
  });
  after(async () => {
    for (const store of stores) await store.close();
    await folder.remove();
  });

  it('when 20 wrong passwords come in a row, then the sixth on waits, the waits double up to 15 minutes, and the right password works once a wait has passed', async () => {
    const r = await withAdmin();
    await r.accounts.createUser(r.admin, { email: 'bo@example.com', password: 'right password' });
    // Each attempt from another address, so that only the account's count is at work here
    // (the next test covers one address's count; a success never clears that one).
    let addresses = 0;
    const signIn = (password: string) =>
      r.accounts.signIn(
        anonymous(`2001:db8::${(addresses += 1).toString(16)}`),
        'bo@example.com',
        password,
        undefined,
      );
    const codes: string[] = [];
    for (let i = 0; i < 20; i += 1) codes.push(await signIn('wrong').then(() => 'OK', codeOf));
    assert.deepEqual(codes, [
      ...Array(5).fill('UNAUTHENTICATED'),
      ...Array(15).fill('TOO_MANY_REQUESTS'),
    ]);
    await assert.rejects(signIn('right password'), /for this account: try again in 1 s/);

    // Every failure after the fifth doubles the wait: 1 s, 2 s, 4 s … then 15 minutes at most.
    const waits: number[] = [];
    for (let wait = 1_000; waits.length < 14;) {
      r.pass(wait - 1);
      await assert.rejects(signIn('wrong'), (error) => codeOf(error) === 'TOO_MANY_REQUESTS');
      r.pass(1);
      await assert.rejects(signIn('wrong'), (error) => codeOf(error) === 'UNAUTHENTICATED');
      waits.push(wait);
      wait = Math.min(wait * 2, 15 * minute);
    }
    assert.deepEqual(waits.slice(0, 4), [1_000, 2_000, 4_000, 8_000]);
    assert.equal(waits.at(-1), 15 * minute);
    await assert.rejects(signIn('right password'), /try again in 900 s/);

    r.pass(15 * minute);
    const { user } = await signIn('right password');
    assert.equal(user.email, 'bo@example.com');
    // A success starts the account's count again: five free failures.
    for (let i = 0; i < 5; i += 1)
      await assert.rejects(signIn('wrong'), (error) => codeOf(error) === 'UNAUTHENTICATED');
  });

  it('when the email is unknown, then signing in fails as a wrong password does, and takes as long (a hash is checked either way)', async () => {
    const r = await withAdmin();
    let attempts = 0;
    const timed = async (email: string) => {
      const started = performance.now();
      const error = await r.accounts
        .signIn(anonymous(`203.0.113.${(attempts += 1)}`), email, 'not the password', undefined)
        .then(
          () => assert.fail('signed in'),
          (caught: unknown) => caught as AppError,
        );
      return { ms: performance.now() - started, code: error.code, message: error.message };
    };
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1] as number;
    const unknown = [];
    const wrong = [];
    for (let i = 0; i < 3; i += 1) {
      unknown.push(await timed(`nobody${i}@example.com`));
      wrong.push(await timed('admin@example.com'));
    }
    assert.deepEqual(
      new Set([...unknown, ...wrong].map(({ code, message }) => `${code}: ${message}`)),
      new Set(['UNAUTHENTICATED: The email or password is wrong.']),
    );
    // A hash takes tens of ms and a lookup well under one: a skipped hash would show at once.
    const [u, w] = [median(unknown.map((t) => t.ms)), median(wrong.map((t) => t.ms))];
    assert.ok(
      u > w / 3 && w > u / 3,
      `unknown email ${u.toFixed(1)} ms, wrong password ${w.toFixed(1)} ms`,
    );
  });

  it('when one address fails against many accounts, then that address waits, and other addresses do not', async () => {
    const r = await withAdmin();
    const tries: string[] = [];
    for (let i = 0; i < 7; i += 1)
      tries.push(
        await r.accounts
          .signIn(anonymous('203.0.113.9'), `nobody${i}@example.com`, 'wrong password', undefined)
          .then(() => 'OK', codeOf),
      );
    assert.deepEqual(tries, [
      ...Array(5).fill('UNAUTHENTICATED'),
      'TOO_MANY_REQUESTS',
      'TOO_MANY_REQUESTS',
    ]);
    await assert.rejects(
      r.accounts.signIn(anonymous('203.0.113.9'), 'admin@example.com', 'admin password', undefined),
      /from your address/,
    );
    const elsewhere = await r.accounts.signIn(
      anonymous('203.0.113.10'),
      'admin@example.com',
      'admin password',
      undefined,
    );
    assert.equal(elsewhere.user.email, 'admin@example.com');
  });

  it('when a session is used now and then, then it lives until it is idle too long or reaches its lifetime', async () => {
    const r = await withAdmin({ sessionIdleMs: 60 * minute, sessionLifetimeMs: 180 * minute });
    const { session } = await r.accounts.signIn(
      anonymous(),
      'admin@example.com',
      'admin password',
      undefined,
    );
    const who = () => r.accounts.resolve({ session: session.id, token: null });
    for (let used = 0; used < 3; used += 1) {
      r.pass(50 * minute);
      assert.equal((await who())?.role, 'ADMIN');
    }
    r.pass(29 * minute);
    assert.equal((await who())?.role, 'ADMIN');
    r.pass(1 * minute);
    assert.equal(await who(), null, 'past SESSION_LIFETIME');

    const idle = await r.accounts.signIn(
      anonymous(),
      'admin@example.com',
      'admin password',
      undefined,
    );
    r.pass(59 * minute);
    assert.notEqual(await r.accounts.resolve({ session: idle.session.id, token: null }), null);
    r.pass(60 * minute);
    assert.equal(await r.accounts.resolve({ session: idle.session.id, token: null }), null, 'idle');
  });

  it('when a token has an expiry, then it works until then and not after; one without works on', async () => {
    const r = await withAdmin();
    const daily = await r.accounts.createToken(r.admin, 'nightly backup', 1);
    const forever = await r.accounts.createToken(r.admin, 'ci', null);
    assert.deepEqual(daily.info.expiresAt, new Date(daily.info.createdAt.getTime() + day));
    assert.equal(forever.info.expiresAt, undefined);
    r.pass(day - 1);
    assert.notEqual(await r.accounts.resolve({ session: null, token: daily.token }), null);
    r.pass(1);
    assert.equal(await r.accounts.resolve({ session: null, token: daily.token }), null);
    r.pass(3650 * day);
    assert.notEqual(await r.accounts.resolve({ session: null, token: forever.token }), null);
    const listed = await r.accounts.tokens(r.admin);
    assert.ok(listed.find((token) => token.name === 'ci')?.lastUsedAt);
  });

  it('when a credential is used many times a minute, then its last use is written once a minute', async () => {
    const r = await withAdmin();
    const { token, info } = await r.accounts.createToken(r.admin, 'busy script', null);
    const lastUsed = async () =>
      (await r.accounts.tokens(r.admin)).find((t) => t.id === info.id)?.lastUsedAt?.getTime();
    await r.accounts.resolve({ session: null, token });
    const first = await lastUsed();
    for (let i = 0; i < 5; i += 1) {
      r.pass(10_000);
      await r.accounts.resolve({ session: null, token });
    }
    assert.equal(await lastUsed(), first);
    r.pass(10_000);
    await r.accounts.resolve({ session: null, token });
    assert.equal(await lastUsed(), (first ?? 0) + 60_000);
  });

  it('when the setup code is 30 minutes old, then it no longer works and the next start logs a new one', async () => {
    const r = await rig();
    await r.accounts.firstRun();
    const old = r.logs.find((log) => log.setupCode)?.setupCode as string;
    assert.match(old, /^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
    r.pass(30 * minute);
    await assert.rejects(
      r.accounts.setup(
        anonymous(),
        old,
        { email: 'a@example.com', password: '12345678' },
        undefined,
      ),
      (error) => codeOf(error) === 'FORBIDDEN' && /wrong or has expired/.test(String(error)),
    );
    await r.accounts.firstRun();
    const codes = r.logs.filter((log) => log.setupCode).map((log) => log.setupCode);
    assert.equal(codes.length, 2);
    const fresh = codes[1] as string;
    assert.notEqual(fresh, old);
    // Typed loosely: lower case, no hyphen.
    const { user } = await r.accounts.setup(
      anonymous(),
      fresh.toLowerCase().replace('-', ''),
      { email: 'a@example.com', password: '12345678' },
      undefined,
    );
    assert.equal(user.firstAdmin, true);
  });

  it('when a password was hashed with older parameters, then signing in rehashes it with today’s', async () => {
    const r = await withAdmin();
    const weak = await hashPassword('old parameters', { memory: 1024, passes: 1, parallelism: 1 });
    const user = await r.store.createUser(
      { email: 'old@example.com', name: null, role: 'MEMBER', passwordHash: weak },
      new Date(),
    );
    await r.accounts.signIn(anonymous(), 'OLD@example.com ', 'old parameters', undefined);
    assert.match(
      (await r.store.passwordHashOf(user.id)) ?? '',
      /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/,
    );
    await r.accounts.signIn(anonymous(), 'old@example.com', 'old parameters', undefined);
  });

  it('when the password changes, then the other sessions end and the one in use stays', async () => {
    const r = await withAdmin();
    const other = await r.accounts.signIn(
      anonymous(),
      'admin@example.com',
      'admin password',
      undefined,
    );
    await assert.rejects(
      r.accounts.changePassword(r.admin, 'not it', 'new password', r.adminSession),
      (error) =>
        codeOf(error) === 'BAD_USER_INPUT' && /current password is wrong/.test(String(error)),
    );
    await assert.rejects(
      r.accounts.changePassword(r.admin, 'admin password', 'short', r.adminSession),
      /8 to 256 characters/,
    );
    assert.equal(
      await r.accounts.changePassword(r.admin, 'admin password', 'new password', r.adminSession),
      true,
    );
    assert.notEqual(await r.accounts.resolve({ session: r.adminSession, token: null }), null);
    assert.equal(await r.accounts.resolve({ session: other.session.id, token: null }), null);
    await assert.rejects(
      r.accounts.signIn(anonymous(), 'admin@example.com', 'admin password', undefined),
      /email or password is wrong/,
    );
    await r.accounts.signIn(anonymous(), 'admin@example.com', 'new password', undefined);
  });

  it('when signing in with a session already, then that session ends and a new id is given', async () => {
    const r = await withAdmin();
    const again = await r.accounts.signIn(
      anonymous(),
      'admin@example.com',
      'admin password',
      r.adminSession,
    );
    assert.notEqual(again.session.id, r.adminSession);
    assert.equal(await r.accounts.resolve({ session: r.adminSession, token: null }), null);
    assert.notEqual(await r.accounts.resolve({ session: again.session.id, token: null }), null);
  });
});
