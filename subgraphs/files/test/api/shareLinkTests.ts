import assert from 'node:assert/strict';
import { it } from 'node:test';
import { errorCode, type FilesClient } from '@filegraph/testing/filesClient';
import { graphql } from '@filegraph/testing/graphql';
import { signedAs, testCallers } from '@filegraph/testing/identity';

const { bob, admin } = testCallers;

interface Link {
  id: string;
  url: string | null;
  expiresAt: string | null;
  fileId: string;
  createdAt: string;
  hasPassword: boolean;
}

const linkFields = 'id url expiresAt fileId createdAt hasPassword';

/**
 * Share links (issue 16) for a suite whose client is alice. The gateway
 * maps /s/<token> to the files service's /share/<token> and calls it as
 * nobody, with X-Share-Password when one is given; these tests do the same.
 */
export function shareLinkTests(client: () => FilesClient): void {
  const query = <T>(headers: () => Record<string, string>, text: string, variables = {}) =>
    graphql<T>(client().url, text, variables, { headers: headers() });
  const asAlice = signedAs(testCallers.alice);
  const create = async (variables: Record<string, unknown>) => {
    const response = await query<{ createShareLink: Link }>(
      asAlice,
      `mutation ($fileId: ID!, $hours: Int, $password: String) {
        createShareLink(fileId: $fileId, expiresInHours: $hours, password: $password) { ${linkFields} }
      }`,
      variables,
    );
    const link = response.data?.createShareLink;
    if (!link) throw new Error(`createShareLink refused: ${JSON.stringify(response.errors)}`);
    return link;
  };
  /** Follows a link as the gateway does: as nobody, the password in a header. */
  const follow = (link: Link, headers: Record<string, string> = {}, method = 'GET') =>
    fetch(`${client().url}${(link.url ?? '').replace(/^\/s\//, '/share/')}`, {
      method,
      headers: { ...signedAs(null)(), ...headers },
    });

  it('when a share link is made, then following it gives the exact bytes, ranges included, and listings show it without its secret', async () => {
    const file = await client().put('shared.txt', 'shared bytes', { prefix: 'shares' });
    const link = await create({ fileId: file.id });
    assert.match(link.url ?? '', /^\/s\/[A-Za-z0-9_-]{43}$/);
    assert.equal(link.fileId, file.id);
    assert.equal(link.hasPassword, false);
    const week = Date.parse(link.expiresAt ?? '') - Date.parse(link.createdAt);
    assert.ok(Math.abs(week - 168 * 3_600_000) < 60_000, 'a week by default');
    const got = await follow(link);
    assert.equal(got.status, 200);
    assert.equal(await got.text(), 'shared bytes');
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    const part = await follow(link, { range: 'bytes=0-5' });
    assert.equal(part.status, 206);
    assert.equal(await part.text(), 'shared');
    assert.equal((await follow(link, {}, 'HEAD')).headers.get('content-length'), '12');
    const mine = await query<{ shareLinks: Link[] }>(asAlice, `{ shareLinks { ${linkFields} } }`);
    const listed = mine.data?.shareLinks.find((l) => l.id === link.id);
    assert.equal(listed?.url, null);
    const ofFile = await query<{ shareLinks: Link[] }>(
      asAlice,
      `query ($id: ID) { shareLinks(fileId: $id) { id } }`,
      { id: file.id },
    );
    assert.deepEqual(
      ofFile.data?.shareLinks.map((l) => l.id),
      [link.id],
    );
    const bobs = await query<{ shareLinks: Link[] }>(signedAs(bob), '{ shareLinks { id } }');
    assert.equal(
      bobs.data?.shareLinks.some((l) => l.id === link.id),
      false,
    );
  });

  it('when a link has a password, then it is refused with 401 without it or with a wrong one, and opens with it', async () => {
    const file = await client().put('locked.txt', 'behind a password', { prefix: 'shares' });
    const link = await create({ fileId: file.id, password: 'open sesame please' });
    assert.equal(link.hasPassword, true);
    const missing = await follow(link);
    assert.equal(missing.status, 401);
    assert.match(await missing.text(), /password/i);
    const wrong = await follow(link, { 'x-share-password': 'open sesame, please' });
    assert.equal(wrong.status, 401);
    const right = await follow(link, { 'x-share-password': 'open sesame please' });
    assert.equal(right.status, 200);
    assert.equal(await right.text(), 'behind a password');
    const short = await query<unknown>(
      asAlice,
      'mutation ($id: ID!) { createShareLink(fileId: $id, password: "short") { id } }',
      { id: file.id },
    );
    assert.equal(errorCode(short), 'BAD_USER_INPUT');
  });

  it('when a link is revoked, its file trashed, or its lifetime out of bounds, then it opens nothing', async () => {
    const file = await client().put('revoked.txt', 'x', { prefix: 'shares' });
    const link = await create({ fileId: file.id, hours: 1 });
    const bobRevokes = await query<{ revokeShareLink: boolean }>(
      signedAs(bob),
      'mutation ($id: ID!) { revokeShareLink(id: $id) }',
      { id: link.id },
    );
    assert.equal(bobRevokes.data?.revokeShareLink, false, "bob can't revoke alice's link");
    assert.equal((await follow(link)).status, 200);
    const revoked = await query<{ revokeShareLink: boolean }>(
      asAlice,
      'mutation ($id: ID!) { revokeShareLink(id: $id) }',
      { id: link.id },
    );
    assert.equal(revoked.data?.revokeShareLink, true);
    assert.equal((await follow(link)).status, 404);

    const trashed = await client().put('trashed.txt', 'x', { prefix: 'shares' });
    const doomed = await create({ fileId: trashed.id });
    await client().delete([trashed.id]);
    assert.equal((await follow(doomed)).status, 404);
    await client().restore([trashed.id]);
    assert.equal((await follow(doomed)).status, 404, 'a link dies with the trash');

    for (const hours of [0, 8761]) {
      const refused = await query<unknown>(
        asAlice,
        'mutation ($id: ID!, $h: Int) { createShareLink(fileId: $id, expiresInHours: $h) { id } }',
        { id: file.id, h: hours },
      );
      assert.equal(errorCode(refused), 'BAD_USER_INPUT');
    }
  });

  it('when a token is used anywhere but its own link, then it reaches nothing', async () => {
    const file = await client().put('tokened.txt', 'x', { prefix: 'shares' });
    const other = await client().put('other.txt', 'y', { prefix: 'shares' });
    const link = await create({ fileId: file.id });
    const token = (link.url ?? '').slice('/s/'.length);
    const nobody = signedAs(null)();
    // The token is no file id, and no identity: /download answers nobody.
    for (const path of [`/download/${token}`, `/download/${other.id}`, `/share/${other.id}`]) {
      const response = await fetch(`${client().url}${path}`, { headers: nobody });
      assert.ok([401, 404].includes(response.status), `${path} gave ${response.status}`);
    }
    const tampered = `/share/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    assert.equal((await fetch(`${client().url}${tampered}`, { headers: nobody })).status, 404);
    // An admin may list the links of anyone's file.
    const adminView = await query<{ shareLinks: Link[] }>(
      signedAs(admin),
      'query ($id: ID) { shareLinks(fileId: $id) { id } }',
      { id: file.id },
    );
    assert.deepEqual(
      adminView.data?.shareLinks.map((l) => l.id),
      [link.id],
    );
  });
}
