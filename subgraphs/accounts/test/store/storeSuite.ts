import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { AppError } from '@filegraph/shared/errors';
import type { AccountStore, NewUser, UserRecord } from '../../src/accounts/AccountStore.ts';
import { secretHash } from '../../src/accounts/secrets.ts';
import type { ThrottlePolicy } from '@filegraph/shared/throttle';

/**
 * The store's promises, held against each driver directly: one suite, run
 * on SQLite and on a real PostgreSQL. `database()` makes an empty database
 * (a file, or a PostgreSQL database) and `storeOn` opens a store on one,
 * as many times as replicas would.
 */
export interface StoreTarget {
  database(): Promise<string>;
  storeOn(database: string): AccountStore;
  stop(): Promise<void>;
}

const codeOf = (error: unknown) => (error as AppError).code;
const refused = (work: Promise<unknown>, code: string) =>
  assert.rejects(work, (error) => codeOf(error) === code);

const policy: ThrottlePolicy = { free: 5, baseMs: 1_000, capMs: 8_000, forgetMs: 60_000 };
const day = 86_400_000;

let emails = 0;
function newUser(change: Partial<NewUser> = {}): NewUser {
  emails += 1;
  return {
    email: `user${emails}@example.com`,
    name: `User ${emails}`,
    role: 'MEMBER',
    passwordHash: `hash-${emails}`,
    ...change,
  };
}

export function storeSuite(driver: string, start: () => Promise<StoreTarget>): void {
  describe(`the ${driver} accounts store`, () => {
    let target: StoreTarget;
    let store: AccountStore;
    const opened: AccountStore[] = [];
    const open = async (database: string) => {
      const replica = target.storeOn(database);
      opened.push(replica);
      await replica.open();
      return replica;
    };

    before(async () => {
      target = await start();
      store = await open(await target.database());
    });
    after(async () => {
      for (const replica of opened) await replica.close();
      await target?.stop();
    });

    const t0 = new Date('2030-01-01T00:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);

    it('when there is no account, then first run keeps one setup code until it expires, and it makes the first admin once', async () => {
      assert.equal(await store.hasAccounts(), false);
      const plan = { now: t0, admin: undefined, codeHash: secretHash('ONE'), validMs: 60_000 };
      assert.deepEqual(await store.firstRun(plan), { outcome: 'code made' });
      assert.deepEqual(
        await store.firstRun({ ...plan, now: at(30_000), codeHash: secretHash('TWO') }),
        { outcome: 'code exists', createdAt: t0 },
      );
      const admin = newUser({ role: 'ADMIN' });
      assert.deepEqual(await store.setup(secretHash('TWO'), admin, at(31_000), 60_000), {
        outcome: 'wrong code',
      });
      assert.deepEqual(await store.setup(secretHash('ONE'), admin, at(61_000), 60_000), {
        outcome: 'wrong code',
      });
      assert.deepEqual(
        await store.firstRun({ ...plan, now: at(61_000), codeHash: secretHash('THREE') }),
        { outcome: 'code made' },
      );
      const done = await store.setup(secretHash('THREE'), admin, at(62_000), 60_000);
      assert.equal(done.outcome, 'done');
      const user = (done as { user: UserRecord }).user;
      assert.equal(user.role, 'ADMIN');
      assert.equal(user.firstAdmin, true);
      assert.deepEqual(await store.setup(secretHash('THREE'), newUser(), at(63_000), 60_000), {
        outcome: 'accounts exist',
      });
      assert.deepEqual(await store.firstRun({ ...plan, now: at(64_000) }), {
        outcome: 'accounts exist',
      });
      assert.equal(await store.hasAccounts(), true);
    });

    it('when replicas open one empty database at once, then the schema is made once and exactly one first admin is created', async () => {
      const database = await target.database();
      const replicas = await Promise.all([1, 2, 3, 4].map(() => open(database)));
      const email = `first-${randomUUID()}@example.com`;
      const results = await Promise.all(
        replicas.map((replica) =>
          replica.firstRun({
            now: t0,
            admin: newUser({ email, role: 'ADMIN' }),
            codeHash: secretHash('unused'),
            validMs: 60_000,
          }),
        ),
      );
      const outcomes = results.map((result) => result.outcome).sort();
      assert.deepEqual(outcomes, [
        'accounts exist',
        'accounts exist',
        'accounts exist',
        'admin created',
      ]);
      const page = await replicas[0]!.listUsers(undefined, 10);
      assert.equal(page.totalCount, 1);
      assert.equal(page.users[0]?.email, email);
      assert.equal(page.users[0]?.firstAdmin, true);
    });

    it('when replicas with no ADMIN_EMAIL start at once on an empty database, then exactly one setup code is made', async () => {
      const database = await target.database();
      const replicas = await Promise.all([1, 2, 3].map(() => open(database)));
      const results = await Promise.all(
        replicas.map((replica, index) =>
          replica.firstRun({
            now: t0,
            admin: undefined,
            codeHash: secretHash(`code-${index}`),
            validMs: 60_000,
          }),
        ),
      );
      assert.deepEqual(results.map((result) => result.outcome).sort(), [
        'code exists',
        'code exists',
        'code made',
      ]);
      const made = results.findIndex((result) => result.outcome === 'code made');
      const admin = newUser({ role: 'ADMIN' });
      const other = (made + 1) % 3;
      assert.equal(
        (await replicas[0]!.setup(secretHash(`code-${other}`), admin, at(1), 60_000)).outcome,
        'wrong code',
      );
      assert.equal(
        (await replicas[1]!.setup(secretHash(`code-${made}`), admin, at(2), 60_000)).outcome,
        'done',
      );
    });

    it('when a user is created, then it is found by id and by email, and a second account with that email is a CONFLICT', async () => {
      const input = newUser({ name: null });
      const user = await store.createUser(input, t0);
      assert.deepEqual(await store.userById(user.id), user);
      assert.deepEqual(user, {
        id: user.id,
        email: input.email,
        name: null,
        role: 'MEMBER',
        firstAdmin: false,
        createdAt: t0,
        disabledAt: undefined,
      });
      assert.deepEqual(await store.userByEmail(input.email), {
        user,
        passwordHash: input.passwordHash,
      });
      assert.equal(await store.passwordHashOf(user.id), input.passwordHash);
      await refused(store.createUser({ ...newUser(), email: input.email }, t0), 'CONFLICT');
      assert.equal(await store.userById(randomUUID()), undefined);
      assert.equal(await store.userById('not-an-id'), undefined);
      assert.equal(await store.userByEmail('nobody@example.com'), undefined);
    });

    it('when a password is rehashed, then only the hash it replaces is replaced', async () => {
      const user = await store.createUser(newUser({ passwordHash: 'old' }), t0);
      await store.rehash(user.id, 'other', 'new');
      assert.equal(await store.passwordHashOf(user.id), 'old');
      await store.rehash(user.id, 'old', 'new');
      assert.equal(await store.passwordHashOf(user.id), 'new');
    });

    it('when users are listed a page at a time, then every user comes once, in email order, with the total', async () => {
      const database = await target.database();
      const own = await open(database);
      for (const name of ['c', 'a', 'e', 'b', 'd'])
        await own.createUser(newUser({ email: `${name}@x.org` }), t0);
      const first = await own.listUsers(undefined, 2);
      assert.deepEqual(
        first.users.map((user) => user.email),
        ['a@x.org', 'b@x.org'],
      );
      assert.equal(first.hasMore, true);
      assert.equal(first.totalCount, 5);
      const second = await own.listUsers('b@x.org', 2);
      assert.deepEqual(
        second.users.map((user) => user.email),
        ['c@x.org', 'd@x.org'],
      );
      const last = await own.listUsers('d@x.org', 2);
      assert.deepEqual(
        last.users.map((user) => user.email),
        ['e@x.org'],
      );
      assert.equal(last.hasMore, false);
    });

    it('when a session is made, then it is found by its hash with its user, and it ends only as asked', async () => {
      const user = await store.createUser(newUser(), t0);
      await store.createSession(
        { idHash: 'session-a', userId: user.id, createdAt: t0, expiresAt: at(day) },
        undefined,
      );
      assert.deepEqual(await store.session('session-a'), {
        key: 'session-a',
        userId: user.id,
        role: 'MEMBER',
        firstAdmin: false,
        disabled: false,
        lastUsedAt: t0,
        expiresAt: at(day),
      });
      assert.equal(await store.session('session-b'), undefined);

      await store.touchSession('session-a', at(10_000), at(-60_000));
      assert.deepEqual((await store.session('session-a'))?.lastUsedAt, t0);
      await store.touchSession('session-a', at(90_000), at(30_000));
      assert.deepEqual((await store.session('session-a'))?.lastUsedAt, at(90_000));

      const other = await store.createUser(newUser(), t0);
      assert.equal(await store.deleteSession('session-a', other.id), false);
      assert.notEqual(await store.session('session-a'), undefined);

      await store.createSession(
        { idHash: 'session-b', userId: user.id, createdAt: t0, expiresAt: at(day) },
        'session-a',
      );
      assert.equal(await store.session('session-a'), undefined);
      assert.equal(await store.deleteSession('session-b', user.id), true);
      assert.equal(await store.session('session-b'), undefined);
    });

    it('when a password changes, then every session of that user but the one kept ends', async () => {
      const user = await store.createUser(newUser(), t0);
      const other = await store.createUser(newUser(), t0);
      for (const [idHash, userId] of [
        ['keep', user.id],
        ['end-1', user.id],
        ['end-2', user.id],
        ['others', other.id],
      ] as const)
        await store.createSession({ idHash, userId, createdAt: t0, expiresAt: at(day) }, undefined);
      await store.changePassword(user.id, 'changed', 'keep');
      assert.equal(await store.passwordHashOf(user.id), 'changed');
      assert.notEqual(await store.session('keep'), undefined);
      assert.equal(await store.session('end-1'), undefined);
      assert.equal(await store.session('end-2'), undefined);
      assert.notEqual(await store.session('others'), undefined);
      await store.changePassword(user.id, 'again', undefined);
      assert.equal(await store.session('keep'), undefined);
    });

    it('when tokens are made, then they are listed oldest first, found by hash, revoked by their owner only, and limited in number', async () => {
      const user = await store.createUser(newUser(), t0);
      const other = await store.createUser(newUser(), t0);
      const make = (name: string, createdAt: Date, expiresAt?: Date) =>
        store.createToken(
          {
            id: randomUUID(),
            userId: user.id,
            name,
            secretHash: `secret-${name}`,
            createdAt,
            expiresAt,
          },
          3,
        );
      const first = await make('ci', t0, at(day));
      const second = await make('backup', at(1));
      assert.deepEqual(first, {
        id: first.id,
        userId: user.id,
        name: 'ci',
        createdAt: t0,
        expiresAt: at(day),
        lastUsedAt: undefined,
      });
      await make('third', at(2));
      await refused(make('fourth', at(3)), 'CONFLICT');
      assert.deepEqual(
        (await store.tokensOf(user.id)).map((token) => token.name),
        ['ci', 'backup', 'third'],
      );
      assert.deepEqual(await store.tokensOf(other.id), []);

      assert.deepEqual(await store.token('secret-backup'), {
        key: second.id,
        userId: user.id,
        role: 'MEMBER',
        firstAdmin: false,
        disabled: false,
        lastUsedAt: undefined,
        expiresAt: undefined,
      });
      await store.touchToken(second.id, at(5), at(-60_000));
      assert.deepEqual((await store.token('secret-backup'))?.lastUsedAt, at(5));
      await store.touchToken(second.id, at(10), at(0));
      assert.deepEqual((await store.token('secret-backup'))?.lastUsedAt, at(5));
      // Marked exactly at `since`: not after it, so it is marked again.
      await store.touchToken(second.id, at(65), at(5));
      assert.deepEqual((await store.token('secret-backup'))?.lastUsedAt, at(65));

      assert.equal(await store.deleteToken(other.id, second.id), false);
      assert.equal(await store.deleteToken(user.id, 'not-an-id'), false);
      assert.equal(await store.deleteToken(user.id, second.id), true);
      assert.equal(await store.token('secret-backup'), undefined);
      await make('fourth', at(3));
    });

    it('when a user is disabled, then their sessions and tokens are gone, and enabling them brings none back', async () => {
      const user = await store.createUser(newUser(), t0);
      await store.createSession(
        { idHash: 'disabled-session', userId: user.id, createdAt: t0, expiresAt: at(day) },
        undefined,
      );
      await store.createToken(
        {
          id: randomUUID(),
          userId: user.id,
          name: 'x',
          secretHash: 'disabled-token',
          createdAt: t0,
          expiresAt: undefined,
        },
        10,
      );
      const disabled = await store.setDisabled(user.id, true, at(5));
      assert.deepEqual(disabled.disabledAt, at(5));
      assert.equal(await store.session('disabled-session'), undefined);
      assert.equal(await store.token('disabled-token'), undefined);
      assert.deepEqual(await store.tokensOf(user.id), []);
      assert.deepEqual((await store.setDisabled(user.id, true, at(9))).disabledAt, at(5));
      assert.equal((await store.setDisabled(user.id, false, at(10))).disabledAt, undefined);
      assert.equal(await store.session('disabled-session'), undefined);
      await refused(store.setDisabled(randomUUID(), true, t0), 'NOT_FOUND');
      await refused(store.setRole('not-an-id', 'ADMIN'), 'NOT_FOUND');
    });

    it('when a change would leave no active admin, then it is refused with CONFLICT', async () => {
      const own = await open(await target.database());
      const first = await own.createUser(newUser({ role: 'ADMIN' }), t0);
      await refused(own.setRole(first.id, 'MEMBER'), 'CONFLICT');
      await refused(own.setDisabled(first.id, true, t0), 'CONFLICT');
      const second = await own.createUser(newUser(), t0);
      assert.equal((await own.setRole(second.id, 'ADMIN')).role, 'ADMIN');
      assert.equal(
        (await own.setDisabled(second.id, true, t0)).disabledAt?.getTime(),
        t0.getTime(),
      );
      // A disabled admin does not count.
      await refused(own.setRole(first.id, 'MEMBER'), 'CONFLICT');
      await own.setDisabled(second.id, false, t0);
      assert.equal((await own.setRole(first.id, 'MEMBER')).role, 'MEMBER');
      await refused(own.setRole(second.id, 'MEMBER'), 'CONFLICT');
    });

    it('when two admins demote each other at the same moment, then one of them stays an admin', async () => {
      const database = await target.database();
      const [one, two] = await Promise.all([open(database), open(database)]);
      const a = await one!.createUser(newUser({ role: 'ADMIN' }), t0);
      const b = await one!.createUser(newUser({ role: 'ADMIN' }), t0);
      const results = await Promise.allSettled([
        one!.setRole(b.id, 'MEMBER'),
        two!.setRole(a.id, 'MEMBER'),
      ]);
      assert.deepEqual(results.map((result) => result.status).sort(), ['fulfilled', 'rejected']);
      const admins = (await one!.listUsers(undefined, 10)).users.filter((u) => u.role === 'ADMIN');
      assert.equal(admins.length, 1);
    });

    it('when attempts fail under one key, then five are free and each further one waits twice as long, up to the cap', async () => {
      const key = `account:${randomUUID()}`;
      let now = 0;
      for (let i = 0; i < 5; i += 1)
        assert.deepEqual(await store.attempt(key, at(now), policy), { allowed: true });
      assert.deepEqual(await store.attempt(key, at(now + 999), policy), {
        allowed: false,
        retryAt: at(1_000).getTime(),
      });
      for (const wait of [1_000, 2_000, 4_000, 8_000, 8_000, 8_000]) {
        assert.equal((await store.attempt(key, at(now + wait - 1), policy)).allowed, false);
        assert.deepEqual(await store.attempt(key, at(now + wait), policy), { allowed: true });
        now += wait;
      }
    });

    it('when a success is forgiven, then the account starts again while the address only gets that attempt back', async () => {
      const account = `account:${randomUUID()}`;
      const address = `address:${randomUUID()}`;
      for (let i = 0; i < 5; i += 1) {
        await store.attempt(account, t0, policy);
        await store.attempt(address, t0, policy);
      }
      await store.forgive(account, true);
      await store.forgive(address, false);
      assert.equal((await store.attempt(account, t0, policy)).allowed, true);
      // The address had 5 counted, 1 taken back: one more is free, then it waits.
      assert.equal((await store.attempt(address, t0, policy)).allowed, true);
      assert.equal((await store.attempt(address, t0, policy)).allowed, false);
    });

    it('when a key has had no failure for the forget period, then it starts again from zero', async () => {
      const key = `address:${randomUUID()}`;
      for (let i = 0; i < 12; i += 1) await store.attempt(key, at(i * 10_000), policy);
      assert.equal((await store.attempt(key, at(115_000), policy)).allowed, false);
      const later = 110_000 + policy.forgetMs;
      for (let i = 0; i < 5; i += 1)
        assert.equal((await store.attempt(key, at(later), policy)).allowed, true);
      assert.equal((await store.attempt(key, at(later), policy)).allowed, false);
    });

    it('when many attempts race the moment a wait ends, then exactly one gets through', async () => {
      const database = await target.database();
      const replicas = await Promise.all([1, 2, 3].map(() => open(database)));
      const key = `account:${randomUUID()}`;
      for (let i = 0; i < 5; i += 1) await replicas[0]!.attempt(key, t0, policy);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => replicas[i % 3]!.attempt(key, at(1_000), policy)),
      );
      assert.equal(results.filter((result) => result.allowed).length, 1);
    });

    it('when pruning, then ended sessions and forgotten counters go and the rest stays', async () => {
      const own = await open(await target.database());
      const user = await own.createUser(newUser(), t0);
      const session = (idHash: string, createdAt: Date, expiresAt: Date) =>
        own.createSession({ idHash, userId: user.id, createdAt, expiresAt }, undefined);
      await session('live', at(0), at(day));
      await session('past-end', at(-day), at(-1));
      await session('idle', at(-2 * day), at(day));
      await own.attempt('old', at(-2 * policy.forgetMs), policy);
      await own.attempt('recent', t0, policy);
      assert.equal(await own.prune(t0, day, policy.forgetMs), 3);
      assert.notEqual(await own.session('live'), undefined);
      assert.equal(await own.session('idle'), undefined);
      assert.equal(await own.session('past-end'), undefined);
    });
  });
}
