import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { identityKey, identityTtlMs, signIdentity, type Caller } from '@filegraph/shared/identity';
import { testAdmin, testAdminEnv } from '@filegraph/testing/accounts';
import { testIdentitySecret } from '@filegraph/testing/identity';
import { logRecord } from '@filegraph/processes/processes';
import { Services } from '@filegraph/testing/services';
import {
  codeOf,
  graphql,
  handedOver,
  identity,
  nobody,
  signIn,
  signInMutation,
  type As,
  type StoreTarget,
} from './accountsApi.ts';

/**
 * One behaviour suite for the accounts subgraph, run on each store through
 * real accounts processes: what the gateway (and, through it, people and
 * scripts) sees of /graphql and /identity.
 */

const day = 86_400;
const as = (caller: Caller, extra: Partial<As> = {}): As => ({ caller, ...extra });

export function accountsApiSuite(driver: string, start: () => Promise<StoreTarget>): void {
  describe(`accounts subgraph on ${driver}`, () => {
    let target: StoreTarget;
    const services = new Services();
    let url: string;
    let admin: Caller;

    before(async () => {
      target = await start();
      const accounts = await services.start('accounts', {
        ...(await target.newStore()),
        ...testAdminEnv,
        SIGNUP: 'open',
      });
      url = accounts.url;
      const { user } = await signIn(url, testAdmin, nobody('192.0.2.100'));
      admin = { id: user.id, role: 'ADMIN', firstAdmin: true };
    });
    after(async () => {
      await services.stopAll();
      await target?.stop();
    });

    it('when a request has no identity header, a forged one or an expired one, then it is refused with 401 and nothing else', async () => {
      const query = '{ setupNeeded }';
      const forged = signIdentity(
        { caller: admin, clientAddress: '192.0.2.1', requestId: 'forged' },
        identityKey('another secret, not the one accounts was given'),
      );
      const expired = signIdentity(
        { caller: admin, clientAddress: '192.0.2.1', requestId: 'expired' },
        identityKey(testIdentitySecret),
        Date.now() - 2 * identityTtlMs,
      );
      for (const header of [null, forged, expired, 'v1.garbage.garbage']) {
        const answer = await graphql(url, { caller: null, header }, query);
        assert.equal(answer.status, 401, String(header));
        assert.equal(codeOf(answer), 'UNAUTHENTICATED');
        assert.equal(answer.data, undefined);
        const who = await identity(url, { token: 'fg_x' }, { caller: null, header });
        assert.equal(who.status, 401);
        assert.equal(who.caller, undefined);
      }
      assert.equal((await graphql(url, nobody(), query)).status, 200);
      assert.equal((await fetch(`${url}/health`)).status, 200);
    });

    it('when the first admin signs in, then each sign-in hands over a new session id that /identity names the admin for', async () => {
      const first = await signIn(url, testAdmin, nobody('192.0.2.2'));
      const second = await signIn(url, testAdmin, nobody('192.0.2.2'));
      assert.equal(first.user.email, testAdmin.email);
      assert.match(first.session, /^[\w-]{43}$/);
      assert.notEqual(first.session, second.session);
      assert.equal(handedOver(first.answer)?.maxAge, 30 * day);
      for (const session of [first.session, second.session])
        assert.deepEqual((await identity(url, { session })).caller, admin);

      // Signing in with a session already (the gateway forwards its cookie): that one ends.
      const third = await signIn(url, testAdmin, {
        ...nobody('192.0.2.2'),
        session: first.session,
      });
      assert.notEqual(third.session, first.session);
      assert.equal((await identity(url, { session: first.session })).caller, null);
      assert.deepEqual((await identity(url, { session: third.session })).caller, admin);
    });

    it('when signing out, then the session is ended on the server and the cookie is cleared', async () => {
      const { session } = await signIn(url, testAdmin, nobody('192.0.2.3'));
      const out = await graphql<{ signOut: boolean }>(
        url,
        as(admin, { session }),
        'mutation { signOut }',
      );
      assert.equal(out.data?.signOut, true);
      assert.deepEqual(handedOver(out), { id: '', maxAge: 0 });
      assert.equal((await identity(url, { session })).caller, null);
      const me = await graphql<{ me: unknown }>(url, nobody(), '{ me { id } }');
      assert.equal(me.data?.me, null);
    });

    it('when a token is made, then its secret is shown once, /identity knows it until it is revoked, and a tampered one is nobody', async () => {
      const made = await graphql<{
        createToken: { token: string; info: { id: string; name: string; expiresAt: string } };
      }>(
        url,
        as(admin),
        'mutation { createToken(name: "api test", expiresInDays: 1) { token info { id name expiresAt } } }',
      );
      const { token, info } = made.data?.createToken ?? assert.fail(JSON.stringify(made.errors));
      assert.match(token, /^fg_[\w-]{43}$/);
      assert.equal(info.name, 'api test');
      assert.ok(Date.parse(info.expiresAt) - Date.now() <= day * 1000);
      assert.deepEqual((await identity(url, { token })).caller, admin);

      const listed = await graphql<{ tokens: Array<Record<string, unknown>> }>(
        url,
        as(admin),
        '{ tokens { id name createdAt expiresAt lastUsedAt } }',
      );
      const shown = listed.data?.tokens.find((t) => t.id === info.id);
      assert.ok(shown?.lastUsedAt, 'the use through /identity is recorded');
      assert.equal(JSON.stringify(listed).includes(token.slice(3)), false);

      const last = token.at(-1) === 'A' ? 'B' : 'A';
      for (const tampered of [`${token.slice(0, -1)}${last}`, token.slice(0, -1), `${token}A`])
        assert.equal((await identity(url, { token: tampered })).caller, null, tampered);

      const revoked = await graphql<{ revokeToken: boolean }>(
        url,
        as(admin),
        'mutation ($id: ID!) { revokeToken(id: $id) }',
        { id: info.id },
      );
      assert.equal(revoked.data?.revokeToken, true);
      assert.equal((await identity(url, { token })).caller, null);
    });

    it('when a member asks for the users or to create one, then it is FORBIDDEN', async () => {
      const created = await graphql<{ createUser: { id: string; role: string } }>(
        url,
        as(admin),
        'mutation ($e: String!, $p: String!) { createUser(email: $e, password: $p) { id role } }',
        { e: 'member@filegraph.test', p: 'a member password' },
      );
      const id = created.data?.createUser.id ?? assert.fail(JSON.stringify(created.errors));
      assert.equal(created.data?.createUser.role, 'MEMBER');
      const member = as({ id, role: 'MEMBER', firstAdmin: false });
      assert.equal(codeOf(await graphql(url, member, '{ users { totalCount } }')), 'FORBIDDEN');
      const made = await graphql(
        url,
        member,
        'mutation { createUser(email: "x@filegraph.test", password: "12345678") { id } }',
      );
      assert.equal(codeOf(made), 'FORBIDDEN');
      assert.equal(made.data, null);

      const { user } = await signIn(
        url,
        { email: 'MEMBER@filegraph.test', password: 'a member password' },
        nobody('192.0.2.5'),
      );
      assert.deepEqual(user, { id, email: 'member@filegraph.test', role: 'MEMBER' });
      const users = await graphql<{ users: { totalCount: number } }>(
        url,
        as(admin),
        '{ users { totalCount } }',
      );
      assert.ok((users.data?.users.totalCount ?? 0) >= 2);

      type Page = { users: { nodes: Array<{ email: string }>; pageInfo: { endCursor: string } } };
      const page = (after?: string) =>
        graphql<Page>(
          url,
          as(admin),
          'query ($after: String) { users(first: 1, after: $after) { nodes { email } pageInfo { endCursor } } }',
          { after },
        );
      const one = (await page()).data?.users ?? assert.fail('no first page');
      const two = (await page(one.pageInfo.endCursor)).data?.users ?? assert.fail('no second page');
      assert.ok((two.nodes[0]?.email ?? '') > (one.nodes[0]?.email ?? ''));
      assert.equal(codeOf(await page('bm90IGEgY3Vyc29y')), 'BAD_USER_INPUT');
    });

    it('when an admin disables a user, then their sessions and tokens are dead at once and they cannot sign in; another admin is never the first', async () => {
      const password = 'second admin password';
      const created = await graphql<{ createUser: { id: string } }>(
        url,
        as(admin),
        'mutation ($p: String!) { createUser(email: "second@filegraph.test", password: $p, role: ADMIN) { id } }',
        { p: password },
      );
      const id = created.data?.createUser.id ?? assert.fail(JSON.stringify(created.errors));
      const who = { email: 'second@filegraph.test', password };
      const { session } = await signIn(url, who, nobody('192.0.2.11'));
      const second: Caller = { id, role: 'ADMIN', firstAdmin: false };
      assert.deepEqual((await identity(url, { session })).caller, second);
      const made = await graphql<{ createToken: { token: string } }>(
        url,
        as(second),
        'mutation { createToken(name: "script") { token } }',
      );
      const token = made.data?.createToken.token ?? assert.fail(JSON.stringify(made.errors));
      assert.deepEqual((await identity(url, { token })).caller, second);

      const disabled = await graphql<{ disableUser: { disabled: boolean } }>(
        url,
        as(admin),
        'mutation ($id: ID!) { disableUser(id: $id) { disabled } }',
        { id },
      );
      assert.equal(disabled.data?.disableUser.disabled, true);
      assert.equal((await identity(url, { session })).caller, null);
      assert.equal((await identity(url, { token })).caller, null);
      const refused = await graphql(url, nobody('192.0.2.11'), signInMutation, {
        e: who.email,
        p: who.password,
      });
      assert.equal(codeOf(refused), 'FORBIDDEN');
      assert.equal(handedOver(refused), undefined);
    });

    it('when the email is unknown or the password is wrong, then the answer is the same', async () => {
      const tryIt = async (email: string, address: string) => {
        const answer = await graphql(url, nobody(address), signInMutation, {
          e: email,
          p: 'not the password',
        });
        assert.equal(handedOver(answer), undefined);
        return { code: codeOf(answer), errors: answer.errors, data: answer.data };
      };
      const unknown = await tryIt('nobody@filegraph.test', '192.0.2.6');
      const wrong = await tryIt(testAdmin.email, '192.0.2.7');
      assert.equal(unknown.code, 'UNAUTHENTICATED');
      assert.deepEqual(unknown, wrong);
    });

    it('when sign-up is open, then anyone makes themselves a member and is signed in', async () => {
      const answer = await graphql<{ signUp: { email: string; role: string } }>(
        url,
        nobody('192.0.2.8'),
        'mutation { signUp(email: "new@filegraph.test", password: "long enough", name: "New") { email role } }',
      );
      assert.deepEqual(answer.data?.signUp, { email: 'new@filegraph.test', role: 'MEMBER' });
      const session = handedOver(answer)?.id ?? assert.fail('no session handed over');
      assert.equal((await identity(url, { session })).caller?.role, 'MEMBER');
      const short = await graphql(
        url,
        nobody('192.0.2.8'),
        'mutation { signUp(email: "short@filegraph.test", password: "1234567") { id } }',
      );
      assert.equal(codeOf(short), 'BAD_USER_INPUT');
      assert.match(short.errors?.[0]?.message ?? '', /8 to 256 characters/);
    });

    it('when /identity is sent something else than credentials, then it is a 400 naming what it takes', async () => {
      for (const body of [[], 'session', { session: 42 }, { token: 'x'.repeat(600) }]) {
        const answer = await identity(url, body as never);
        assert.equal(answer.status, 400, JSON.stringify(body).slice(0, 40));
        assert.equal(codeOf(answer), 'BAD_USER_INPUT');
      }
      assert.deepEqual(await identity(url, {}).then((answer) => answer.caller), null);
    });

    it('when no ADMIN_EMAIL is given, then the start logs a one-time setup code that makes the first admin once', async () => {
      // Empty is unset (startService gives accounts the test admin unless told otherwise).
      const accounts = await services.start('accounts', {
        ...(await target.newStore()),
        ADMIN_EMAIL: '',
        ADMIN_PASSWORD: '',
      });
      // A warning: it may come on stderr after `ready` came on stdout.
      const line = await accounts.process.waitFor(
        (text) => typeof logRecord(text)?.setupCode === 'string',
        5_000,
      );
      const code = logRecord(line)?.setupCode as string;
      assert.match(code, /^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
      const needed = () =>
        graphql<{ setupNeeded: boolean }>(accounts.url, nobody(), '{ setupNeeded }');
      assert.equal((await needed()).data?.setupNeeded, true);

      const setup = (withCode: string, email: string) =>
        graphql<{ setup: { id: string; email: string; role: string } }>(
          accounts.url,
          nobody('192.0.2.9'),
          'mutation ($c: String!, $e: String!) { setup(code: $c, email: $e, password: "first admin password") { id email role } }',
          { c: withCode, e: email },
        );
      const wrong = await setup(code === 'AAAAA-AAAAA' ? 'BBBBB-BBBBB' : 'AAAAA-AAAAA', 'a@x.org');
      assert.equal(codeOf(wrong), 'FORBIDDEN');
      assert.equal(handedOver(wrong), undefined);

      const right = await setup(code, 'first@filegraph.test');
      assert.equal(right.data?.setup.role, 'ADMIN');
      const session = handedOver(right)?.id ?? assert.fail('no session handed over');
      assert.deepEqual((await identity(accounts.url, { session })).caller, {
        id: right.data?.setup.id,
        role: 'ADMIN',
        firstAdmin: true,
      });
      assert.equal((await needed()).data?.setupNeeded, false);

      const again = await setup(code, 'second@filegraph.test');
      assert.equal(codeOf(again), 'FORBIDDEN');
      assert.equal(again.data, null);
    });

    it('when two replicas start at once on one empty store, then both come up and share one first admin', async () => {
      const store = await target.newStore();
      const [one, two] = await Promise.all([
        services.start('accounts', { ...store, ...testAdminEnv }),
        services.start('accounts', { ...store, ...testAdminEnv }),
      ]);
      const { session } = await signIn(one!.url, testAdmin, nobody('192.0.2.10'));
      const caller = (await identity(two!.url, { session })).caller;
      assert.equal(caller?.firstAdmin, true);
      const users = await graphql<{ users: { totalCount: number } }>(
        two!.url,
        as(caller as Caller),
        '{ users { totalCount } }',
      );
      assert.equal(users.data?.users.totalCount, 1);
      // Both logged `ready` after their first run; other lines may still be on their way.
      await Promise.all(
        [one, two].map((replica) =>
          replica!.process.waitFor(
            (text) => /first admin created|accounts exist/.test(text),
            5_000,
          ),
        ),
      );
      const created = [one, two].filter((replica) =>
        replica!.process.output().includes('first admin created from ADMIN_EMAIL'),
      );
      assert.equal(created.length, 1);
      const migrated = [one, two].filter((replica) =>
        replica!.process.output().includes('accounts schema migrated'),
      );
      assert.equal(migrated.length, 1, 'the schema is made once');
    });
  });
}
