import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoot } from 'solid-js';
import { createGraphQLClient } from '../../src/graphql/client.ts';
import { createTrashList } from '../../src/trash/trashList.ts';
import { fakeFetch, fakeTrash, trashedNode, until } from './fakeApi.ts';

/** Five trashed files, the most recently deleted first, as the API lists them. */
const deleted = Array.from({ length: 5 }, (_, i) =>
  trashedNode(`docs/old-${i}.txt`, `2025-01-0${9 - i}T00:00:00.000Z`),
);

describe('trash list', () => {
  it('when it opens, then it is loading until the first page is there, with the total', async () => {
    const api = fakeTrash(deleted);
    await createRoot(async (dispose) => {
      const trash = createTrashList(createGraphQLClient({ fetch: api.fetch }), { page: 2 });
      assert.equal(trash.state(), 'loading');
      await until(() => trash.state() === 'ready');
      assert.deepEqual(
        trash.items().map((file) => file.name),
        ['docs/old-0.txt', 'docs/old-1.txt'],
      );
      assert.equal(trash.totalCount(), 5);
      assert.equal(trash.hasMore(), true);
      assert.deepEqual(api.seen[0]?.variables, { first: 2, after: null });
      dispose();
    });
  });

  it('when more is asked for, then pages follow the cursor until there are no more', async () => {
    const api = fakeTrash(deleted);
    await createRoot(async (dispose) => {
      const trash = createTrashList(createGraphQLClient({ fetch: api.fetch }), { page: 2 });
      await until(() => trash.state() === 'ready');
      trash.loadMore();
      await until(() => trash.items().length === 4);
      assert.equal(api.seen[1]?.variables.after, '2');
      trash.loadMore();
      await until(() => !trash.hasMore());
      assert.deepEqual(
        trash.items().map((file) => file.deletedAt),
        deleted.map((file) => file.deletedAt),
      );
      const asked = api.seen.length;
      trash.loadMore();
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(api.seen.length, asked, 'nothing is asked past the last page');
      dispose();
    });
  });

  it('when the trash holds nothing, then the list is empty, not loading', async () => {
    const api = fakeTrash([]);
    await createRoot(async (dispose) => {
      const trash = createTrashList(createGraphQLClient({ fetch: api.fetch }));
      await until(() => trash.state() !== 'loading');
      assert.equal(trash.state(), 'empty');
      assert.equal(trash.totalCount(), 0);
      dispose();
    });
  });

  it('when the server cannot be reached, then the list says why, and a reload loads it', async () => {
    let down = true;
    const trash = fakeTrash(deleted);
    const api = fakeFetch((request) =>
      down ? new TypeError('Failed to fetch') : trash.fetch('/graphql', request.init),
    );
    await createRoot(async (dispose) => {
      const list = createTrashList(createGraphQLClient({ fetch: api.fetch }));
      await until(() => list.state() === 'error');
      assert.equal(list.problem()?.code, 'NETWORK');
      down = false;
      list.reload();
      assert.equal(list.state(), 'loading');
      await until(() => list.state() === 'ready');
      assert.equal(list.problem(), undefined);
      assert.equal(list.items().length, 5);
      dispose();
    });
  });

  it('when files are restored, then they leave the list and the total, without a reload', async () => {
    const api = fakeTrash(deleted);
    await createRoot(async (dispose) => {
      const trash = createTrashList(createGraphQLClient({ fetch: api.fetch }));
      await until(() => trash.state() === 'ready');
      const ids = [deleted[1]?.id ?? '', deleted[3]?.id ?? ''];
      const outcome = await trash.restore(ids);
      assert.equal(outcome.ok, true);
      assert.deepEqual(outcome.ok && outcome.value.map((file) => [file.name, file.deletedAt]), [
        ['docs/old-1.txt', null],
        ['docs/old-3.txt', null],
      ]);
      assert.deepEqual(api.seen.at(-1)?.variables, { ids });
      assert.deepEqual(
        trash.items().map((file) => file.name),
        ['docs/old-0.txt', 'docs/old-2.txt', 'docs/old-4.txt'],
      );
      assert.equal(trash.totalCount(), 3);
      assert.equal(api.seen.filter((request) => request.operationName === 'Trash').length, 1);
      dispose();
    });
  });

  it('when a name is taken again, then nothing is restored and the CONFLICT message comes back', async () => {
    const api = fakeTrash(deleted, new Set(['docs/old-2.txt']));
    await createRoot(async (dispose) => {
      const trash = createTrashList(createGraphQLClient({ fetch: api.fetch }));
      await until(() => trash.state() === 'ready');
      const outcome = await trash.restore(deleted.slice(1, 3).map((file) => file.id));
      assert.equal(outcome.ok, false);
      assert.equal(!outcome.ok && outcome.problem.code, 'CONFLICT');
      assert.match(
        !outcome.ok ? outcome.problem.message : '',
        /"docs\/old-2\.txt" can't be restored/,
      );
      assert.equal(trash.items().length, 5);
      assert.equal(api.trash.length, 5);
      dispose();
    });
  });

  it('when the trash is emptied, then the list is empty and says how many went', async () => {
    const api = fakeTrash(deleted);
    await createRoot(async (dispose) => {
      const trash = createTrashList(createGraphQLClient({ fetch: api.fetch }), { page: 2 });
      await until(() => trash.state() === 'ready');
      const outcome = await trash.empty();
      assert.deepEqual(outcome, { ok: true, value: 5 });
      assert.equal(trash.state(), 'empty');
      assert.equal(trash.totalCount(), 0);
      assert.equal(trash.hasMore(), false);
      dispose();
    });
  });

  it('when emptying fails, then what was listed stays', async () => {
    const trash = fakeTrash(deleted);
    const api = fakeFetch((request) =>
      request.operationName === 'EmptyTrash'
        ? { errors: [{ message: 'storage is down', extensions: { code: 'UNAVAILABLE' } }] }
        : trash.fetch('/graphql', request.init),
    );
    await createRoot(async (dispose) => {
      const list = createTrashList(createGraphQLClient({ fetch: api.fetch }));
      await until(() => list.state() === 'ready');
      const outcome = await list.empty();
      assert.deepEqual(outcome, {
        ok: false,
        problem: { code: 'UNAVAILABLE', message: 'storage is down' },
      });
      assert.equal(list.items().length, 5);
      dispose();
    });
  });
});
