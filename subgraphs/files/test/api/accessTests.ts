import assert from 'node:assert/strict';
import { it } from 'node:test';
import { errorCode, type FilesClient } from '@filegraph/testing/filesClient';
import { graphql } from '@filegraph/testing/graphql';
import { signedAs, testCallers } from '@filegraph/testing/identity';

const { alice, bob, admin } = testCallers;

/**
 * Who sees what (issue 16), for a suite whose client is alice: a member
 * reaches only their own files, and someone else's id is as good as none
 * (NOT_FOUND or null, never FORBIDDEN); an admin reaches any file.
 */
export function accessTests(client: () => FilesClient): void {
  const as = (caller: Parameters<typeof signedAs>[0]) => client().as(signedAs(caller));
  const query = <T>(caller: Parameters<typeof signedAs>[0], text: string, variables = {}) =>
    graphql<T>(client().url, text, variables, { headers: signedAs(caller)() });

  it("when bob names one of alice's files, then every read and write finds nothing, and the file is untouched", async () => {
    const api = client();
    const bobs = as(bob);
    const file = await api.put('secret.txt', 'only alice', { prefix: 'access' });
    const trashed = await api.put('gone.txt', 'in the trash', { prefix: 'access' });
    await api.delete([trashed.id]);

    assert.equal((await bobs.file(file.id)).data?.file, null);
    assert.equal((await bobs.download(file.url)).status, 404);
    assert.equal(errorCode(await bobs.replace(file.id, 'x.txt', 'bob was here')), 'NOT_FOUND');
    assert.equal(errorCode(await bobs.rename(file.id, 'access/mine.txt')), 'NOT_FOUND');
    assert.deepEqual((await bobs.delete([file.id])).data?.deleteFiles, []);
    assert.deepEqual((await bobs.restore([trashed.id])).data?.restoreFiles, []);
    const link = await query<unknown>(
      bob,
      'mutation ($id: ID!) { createShareLink(fileId: $id) { id } }',
      { id: file.id },
    );
    assert.equal(errorCode(link), 'NOT_FOUND');
    const links = await query<unknown>(bob, 'query ($id: ID) { shareLinks(fileId: $id) { id } }', {
      id: file.id,
    });
    assert.equal(errorCode(links), 'NOT_FOUND');
    assert.equal(
      (await bobs.all()).some((f) => f.id === file.id),
      false,
    );

    const still = (await api.file(file.id)).data?.file;
    assert.equal(still?.name, 'access/secret.txt');
    assert.equal(still?.checksum, file.checksum);
    assert.equal(await (await api.download(file.url)).text(), 'only alice');
    assert.ok((await api.trash()).data?.trash.nodes.some((f) => f.id === trashed.id));
  });

  it('when alice and bob both upload notes.txt, then each has their own, listed only to them', async () => {
    const mine = await client().put('notes.txt', 'alice', { prefix: 'both' });
    const bobs = await as(bob).put('notes.txt', 'bob', { prefix: 'both' });
    assert.notEqual(mine.id, bobs.id);
    assert.deepEqual(
      (await client().all({ prefix: 'both' })).map((f) => f.id),
      [mine.id],
    );
    assert.deepEqual(
      (await as(bob).all({ prefix: 'both' })).map((f) => f.id),
      [bobs.id],
    );
    const owner = await query<{ file: { owner: { id: string } } }>(
      bob,
      'query ($id: ID!) { file(id: $id) { owner { id } } }',
      { id: bobs.id },
    );
    assert.equal(owner.data?.file.owner.id, bob.id);
  });

  it('when a request carries no identity or a forged one, then it is refused with 401 UNAUTHENTICATED', async () => {
    const file = await client().put('guarded.txt', 'x', { prefix: 'access' });
    for (const headers of [
      () => ({}),
      signedAs(alice, 'another-secret-that-is-long-enough-0123456789'),
    ]) {
      const api = client().as(headers);
      const listed = await api.list();
      assert.equal(listed.status, 401);
      assert.equal(errorCode(listed), 'UNAUTHENTICATED');
      const download = await api.download(file.url);
      assert.equal(download.status, 401);
    }
  });

  it('when nobody is signed in, then every query, mutation and download is UNAUTHENTICATED', async () => {
    const file = await client().put('nobody.txt', 'x', { prefix: 'access' });
    const nobody = as(null);
    assert.equal(errorCode(await nobody.list()), 'UNAUTHENTICATED');
    assert.equal(errorCode(await nobody.file(file.id)), 'UNAUTHENTICATED');
    assert.equal(
      errorCode(await nobody.upload([{ filename: 'a.txt', content: 'a' }])),
      'UNAUTHENTICATED',
    );
    assert.equal(errorCode(await nobody.delete([file.id])), 'UNAUTHENTICATED');
    assert.equal((await nobody.download(file.url)).status, 401);
    assert.equal((await client().file(file.id)).data?.file?.id, file.id);
  });

  it("when an admin asks, then they see alice's file by id and her files and trash by owner; a member naming an owner is refused", async () => {
    const file = await client().put('for-admin.txt', 'x', { prefix: 'audited' });
    const admins = as(admin);
    assert.equal((await admins.file(file.id)).data?.file?.id, file.id);
    assert.equal(await (await admins.download(file.url)).text(), 'x');
    const listed = await admins.list({ owner: alice.id, prefix: 'audited' });
    assert.deepEqual(
      listed.data?.files.nodes.map((f) => f.id),
      [file.id],
    );
    assert.deepEqual(
      (await admins.all({ prefix: 'audited' })).length,
      0,
      'without owner, their own',
    );
    const trash = await query<{ trash: { totalCount: number } }>(
      admin,
      'query ($owner: ID) { trash(owner: $owner) { totalCount } }',
      { owner: alice.id },
    );
    assert.ok((trash.data?.trash.totalCount ?? 0) >= 1);
    for (const field of ['files', 'trash']) {
      const refused = await query<unknown>(
        bob,
        `query ($owner: ID) { ${field}(owner: $owner) { totalCount } }`,
        { owner: alice.id },
      );
      assert.equal(errorCode(refused), 'FORBIDDEN');
    }
  });
}
