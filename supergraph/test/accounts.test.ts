import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { identityHeader, identityKey, signIdentity } from '@filegraph/shared/identity';
import { newMember, signIn, testAdmin, tokenHeaders } from '@filegraph/testing/accounts';
import { errorCode, FilesClient } from '@filegraph/testing/filesClient';
import { graphql } from '@filegraph/testing/graphql';
import { testCallers, testIdentitySecret } from '@filegraph/testing/identity';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';

type Headers = () => Record<string, string>;

const createShareLink = `mutation ($id: ID!, $hours: Int, $password: String) {
  createShareLink(fileId: $id, expiresInHours: $hours, password: $password) { id url expiresAt }
}`;

/**
 * Accounts as a user meets them: the embedded default (npm start) with its
 * first admin from ADMIN_EMAIL / ADMIN_PASSWORD, two members, and what each
 * of them, a stranger and an attacker can and cannot reach through the gateway.
 */
describe('accounts through the gateway', () => {
  let embedded: RunningService;
  let data: { path: string; remove(): Promise<void> };
  let admin: Headers;
  let aliceHeaders: Headers;
  let alice: FilesClient;
  let bob: FilesClient;
  let nobody: FilesClient;

  before(async () => {
    data = await tempDir('accounts');
    embedded = await startService('embedded', { DATA_DIR: data.path });
    admin = await tokenHeaders(embedded.url);
    nobody = new FilesClient(embedded.url);
    aliceHeaders = await newMember(embedded.url, admin, 'alice@filegraph.test');
    alice = nobody.as(aliceHeaders);
    bob = nobody.as(await newMember(embedded.url, admin, 'bob@filegraph.test'));
  });
  after(async () => {
    await embedded?.stop();
    await data?.remove();
  });

  it('when nobody is signed in, then every files operation and download is UNAUTHENTICATED, and signing in works', async () => {
    const file = await alice.put('private.txt', 'alice only');
    const list = await nobody.list();
    assert.equal(errorCode(list), 'UNAUTHENTICATED');
    assert.equal(list.status, 401, 'refused whole: the HTTP status says so too');
    assert.equal(errorCode(await nobody.file(file.id)), 'UNAUTHENTICATED');
    assert.equal(
      errorCode(await nobody.upload([{ filename: 'x', content: 'x' }])),
      'UNAUTHENTICATED',
    );
    assert.equal(errorCode(await nobody.delete([file.id])), 'UNAUTHENTICATED');
    const download = await nobody.download(file.url);
    assert.equal(download.status, 401);
    assert.doesNotMatch(await download.text(), /alice only/);
    const me = await graphql<{ me: null }>(embedded.url, '{ me { id } }');
    assert.deepEqual(me.data, { me: null });
    assert.match(await signIn(embedded.url), /^fg_session=/);
  });

  it('when member B guesses member A’s ids, then every read and write is not found, downloads included, and A’s file is untouched', async () => {
    const file = await alice.put('diary.txt', 'dear diary');
    assert.equal((await bob.file(file.id)).data?.file, null);
    assert.equal(errorCode(await bob.replace(file.id, 'diary.txt', 'overwritten')), 'NOT_FOUND');
    assert.equal(errorCode(await bob.rename(file.id, 'mine.txt')), 'NOT_FOUND');
    assert.deepEqual((await bob.delete([file.id])).data?.deleteFiles, []);
    const trashed = await alice.put('trashed.txt', 'in alice’s trash');
    await alice.delete([trashed.id]);
    assert.deepEqual((await bob.restore([trashed.id])).data?.restoreFiles, []);
    assert.deepEqual(
      (await alice.restore([trashed.id])).data?.restoreFiles.map((f) => f.name),
      ['trashed.txt'],
    );
    const bobHeaders = await tokenHeaders(embedded.url, {
      email: 'bob@filegraph.test',
      password: 'a member password of some length',
    });
    const shared = await graphql(
      embedded.url,
      createShareLink,
      { id: file.id },
      { headers: bobHeaders() },
    );
    assert.ok(shared.errors, 'bob cannot share alice’s file');
    assert.equal((await bob.download(file.url)).status, 404);
    assert.equal(
      (await bob.all()).some((f) => f.id === file.id),
      false,
    );
    const still = await alice.download(file.url);
    assert.equal(await still.text(), 'dear diary');
  });

  it('when two members each store notes.txt, then both have their own and the admin sees both by owner', async () => {
    const a = await alice.put('notes.txt', 'alice notes');
    const b = await bob.put('notes.txt', 'bob notes');
    assert.notEqual(a.id, b.id);
    assert.equal(await (await alice.download(a.url)).text(), 'alice notes');
    assert.equal(await (await bob.download(b.url)).text(), 'bob notes');
    const byId = await nobody.as(admin).file(b.id);
    assert.equal(byId.data?.file?.name, 'notes.txt');
  });

  it('when a token is tampered with, revoked or made up, then the request is refused with 401 and UNAUTHENTICATED', async () => {
    const cookie = await signIn(embedded.url);
    const made = await graphql<{ createToken: { token: string; info: { id: string } } }>(
      embedded.url,
      'mutation { createToken(name: "to revoke", expiresInDays: 1) { token info { id } } }',
      {},
      { headers: { cookie } },
    );
    const { token, info } = made.data?.createToken ?? assert.fail(JSON.stringify(made.errors));
    const as = (value: string) => ({ authorization: `Bearer ${value}` });
    assert.equal(
      (await graphql(embedded.url, '{ me { id } }', {}, { headers: as(token) })).status,
      200,
    );
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const bad of [tampered, 'fg_made-up', 'not-even-a-token']) {
      const answer = await graphql(embedded.url, '{ me { id } }', {}, { headers: as(bad) });
      assert.equal(answer.status, 401, bad);
      assert.equal(errorCode(answer), 'UNAUTHENTICATED');
    }
    await graphql(
      embedded.url,
      'mutation ($id: ID!) { revokeToken(id: $id) }',
      { id: info.id },
      { headers: { cookie } },
    );
    // Revocation is honoured within the gateway's few seconds of cache.
    const deadline = Date.now() + 10_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await graphql(embedded.url, '{ me { id } }', {}, { headers: as(token) })).status;
      if (status === 200) await new Promise((done) => setTimeout(done, 250));
    }
    assert.equal(status, 401);
  });

  it('when someone signs in, then they get a new session id each time, and signing out ends it on the server', async () => {
    const first = await signIn(embedded.url);
    const second = await signIn(embedded.url);
    assert.notEqual(first, second);
    const me = (cookie: string) =>
      graphql<{ me: { email: string } | null }>(
        embedded.url,
        '{ me { email } }',
        {},
        { headers: { cookie } },
      );
    assert.equal((await me(first)).data?.me?.email, testAdmin.email);
    const out = await graphql(
      embedded.url,
      'mutation { signOut }',
      {},
      { headers: { cookie: first } },
    );
    assert.deepEqual(out.data, { signOut: true });
    // The old cookie, replayed after sign-out, is nobody's at once: the gateway forgot it too.
    assert.equal((await me(first)).data?.me, null);
    assert.equal((await me(second)).data?.me?.email, testAdmin.email);
  });

  it('when a page of another origin sends a cookie-authenticated mutation, then it is refused (CSRF)', async () => {
    const cookie = await signIn(embedded.url);
    const response = await fetch(`${embedded.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin: 'https://evil.example' },
      body: JSON.stringify({ query: 'mutation { createToken(name: "stolen") { token } }' }),
    });
    assert.equal(response.status, 403);
    assert.doesNotMatch(await response.text(), /fg_/);
  });

  it('when a share link is made, then anyone with it gets that one file until it is revoked, and a password is checked', async () => {
    const file = await alice.put('shared.txt', 'for everyone with the link');
    const other = await alice.put('not-shared.txt', 'secret');
    const create = (variables: Record<string, unknown>) =>
      graphql<{ createShareLink: { id: string; url: string } }>(
        embedded.url,
        createShareLink,
        variables,
        {
          headers: aliceHeaders(),
        },
      );
    const open = await create({ id: file.id });
    const link = open.data?.createShareLink ?? assert.fail(JSON.stringify(open.errors));
    const got = await fetch(`${embedded.url}${link.url}`);
    assert.equal(got.status, 200);
    assert.equal(await got.text(), 'for everyone with the link');
    assert.doesNotMatch(link.url, new RegExp(other.id));
    const locked = (await create({ id: file.id, password: 'open sesame' })).data?.createShareLink;
    assert.ok(locked);
    assert.equal((await fetch(`${embedded.url}${locked.url}`)).status, 401);
    const wrong = await fetch(`${embedded.url}${locked.url}`, {
      headers: { 'x-share-password': 'nope' },
    });
    assert.equal(wrong.status, 401);
    const right = await fetch(`${embedded.url}${locked.url}`, {
      headers: { 'x-share-password': 'open sesame' },
    });
    assert.equal(await right.text(), 'for everyone with the link');
    const revoke = await graphql(
      embedded.url,
      'mutation ($id: ID!) { revokeShareLink(id: $id) }',
      { id: link.id },
      {
        headers: aliceHeaders(),
      },
    );
    assert.deepEqual(revoke.data, { revokeShareLink: true });
    assert.equal((await fetch(`${embedded.url}${link.url}`)).status, 404);
    assert.equal((await fetch(`${embedded.url}/s/made-up-token`)).status, 404);
  });

  it('when someone guesses a share link’s password, then after 5 wrong ones the link makes them wait (429, Retry-After)', async () => {
    const file = await alice.put('guarded.txt', 'behind a password');
    const made = await graphql<{ createShareLink: { url: string } }>(
      embedded.url,
      createShareLink,
      { id: file.id, password: 'the right password' },
      { headers: aliceHeaders() },
    );
    const url = `${embedded.url}${made.data?.createShareLink.url ?? assert.fail(JSON.stringify(made.errors))}`;
    const guess = (password: string) => fetch(url, { headers: { 'x-share-password': password } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await guess(`wrong guess ${i}`)).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401]);
    const waiting = await guess('the right password');
    assert.equal(waiting.status, 429);
    assert.ok(Number(waiting.headers.get('retry-after')) >= 1, 'Retry-After reaches the client');
  });

  it('when an identity header is forged and sent to the gateway, then it is ignored: the caller is who the credentials say', async () => {
    const forged = signIdentity(
      { caller: testCallers.admin, clientAddress: '127.0.0.1', requestId: 'forged' },
      identityKey(testIdentitySecret),
    );
    const answer = await graphql(
      embedded.url,
      '{ files { totalCount } }',
      {},
      { headers: { [identityHeader]: forged } },
    );
    assert.equal(errorCode(answer), 'UNAUTHENTICATED');
  });

  it('when a member asks for admin things, then it is FORBIDDEN', async () => {
    const asAlice = aliceHeaders;
    const users = await graphql(
      embedded.url,
      '{ users { totalCount } }',
      {},
      { headers: asAlice() },
    );
    assert.equal(errorCode(users), 'FORBIDDEN');
    const create = await graphql(
      embedded.url,
      'mutation { createUser(email: "mallory@filegraph.test", password: "long enough password") { id } }',
      {},
      { headers: asAlice() },
    );
    assert.equal(errorCode(create), 'FORBIDDEN');
  });

  // Last: the wrong passwords slow down every sign-in from this address (127.0.0.1).
  it('when 20 wrong passwords come in a row, then attempts are slowed down, and the owner gets in once the wait has passed', async () => {
    const attempt = (password: string) =>
      graphql(
        embedded.url,
        'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }',
        {
          e: testAdmin.email,
          p: password,
        },
      );
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 20; i += 1) codes.push(errorCode(await attempt(`wrong password ${i}`)));
    assert.deepEqual(codes.slice(0, 5), Array(5).fill('UNAUTHENTICATED'));
    assert.ok(
      codes.slice(5).every((code) => code === 'TOO_MANY_REQUESTS'),
      codes.join(),
    );
    const refused = await attempt(testAdmin.password);
    assert.equal(errorCode(refused), 'TOO_MANY_REQUESTS');
    const seconds = Number(/(\d+) s/.exec(refused.errors?.[0]?.message ?? '')?.[1] ?? 'NaN');
    assert.ok(seconds >= 1 && seconds <= 2, refused.errors?.[0]?.message);
    await new Promise((done) => setTimeout(done, seconds * 1000 + 200));
    assert.equal(errorCode(await attempt(testAdmin.password)), undefined);
  });
});
