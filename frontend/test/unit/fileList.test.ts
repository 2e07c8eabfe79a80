import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoot, createSignal } from 'solid-js';
import { createFileList, type FileListQuery } from '../../src/files/fileList.ts';
import { createGraphQLClient } from '../../src/graphql/client.ts';
import { fakeFetch, fileNode, until, type SeenRequest } from './fakeApi.ts';

const names = Array.from({ length: 250 }, (_, i) => `file-${String(i).padStart(3, '0')}.txt`);

/** The files API over `names`: cursors are offsets, as opaque to the client as real ones. */
function pages(request: SeenRequest, all = names) {
  const { first, after, search } = request.variables as {
    first: number;
    after: string | null;
    search: string | null;
  };
  const matching = search ? all.filter((name) => name.includes(search)) : all;
  const start = after ? Number(after) : 0;
  const nodes = matching.slice(start, start + first).map((name) => fileNode(name));
  const end = start + nodes.length;
  return {
    data: {
      files: {
        nodes,
        pageInfo: { hasNextPage: end < matching.length, endCursor: String(end) },
        totalCount: matching.length,
      },
    },
  };
}

const base: FileListQuery = {
  prefix: '',
  search: '',
  recursive: false,
  order: { field: 'NAME', direction: 'ASC' },
};

describe('file list', () => {
  it('when the first page arrives, then its rows and the server total are there', async () => {
    const api = fakeFetch((request) => pages(request));
    await createRoot(async (dispose) => {
      const list = createFileList(createGraphQLClient({ fetch: api.fetch }), () => base, {
        firstPage: 20,
      });
      assert.equal(list.state(), 'loading');
      await until(() => list.state() === 'ready');
      assert.equal(list.count(), 250);
      assert.equal(list.file(0)?.name, 'file-000.txt');
      assert.equal(api.seen[0]?.variables.first, 20);
      assert.deepEqual(api.seen[0]?.variables.orderBy, { field: 'NAME', direction: 'ASC' });
      dispose();
    });
  });

  it('when the view needs rows past what is loaded, then pages follow the cursor until they are there', async () => {
    const api = fakeFetch((request) => pages(request));
    await createRoot(async (dispose) => {
      const list = createFileList(createGraphQLClient({ fetch: api.fetch }), () => base, {
        firstPage: 20,
        page: 50,
        bigPage: 100,
      });
      await until(() => list.state() === 'ready');
      list.ensure(200);
      await until(() => list.file(200) !== undefined);
      assert.equal(list.file(200)?.name, 'file-200.txt');
      // Each page starts where the last one ended, and a far jump asks for big pages.
      let end = 0;
      for (const request of api.seen) {
        assert.equal(request.variables.after, end === 0 ? null : String(end));
        end += request.variables.first as number;
      }
      assert.ok(api.seen.some((request) => request.variables.first === 100));
      list.ensure(249);
      await until(() => list.loadedCount() === 250);
      assert.equal(list.count(), 250);
      dispose();
    });
  });

  it('when the search changes while a page is on its way, then the stale page is dropped', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const api = fakeFetch(async (request) => {
      if (!request.variables.search) await held;
      return pages(request);
    });
    await createRoot(async (dispose) => {
      const [query, setQuery] = createSignal(base);
      const list = createFileList(createGraphQLClient({ fetch: api.fetch }), query);
      await until(() => api.seen.length === 1);
      setQuery({ ...base, search: 'file-04' });
      await until(() => list.state() === 'ready');
      release();
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(list.count(), 10);
      assert.equal(list.totalCount(), 10);
      assert.equal(list.file(0)?.name, 'file-040.txt');
      assert.equal(api.seen[1]?.variables.recursive, true, 'a search looks in subfolders too');
      dispose();
    });
  });

  it('when the server cannot be reached, then the list says so, and a retry loads it', async () => {
    let down = true;
    const api = fakeFetch((request) => (down ? new TypeError('Failed to fetch') : pages(request)));
    await createRoot(async (dispose) => {
      const list = createFileList(createGraphQLClient({ fetch: api.fetch }), () => base);
      await until(() => list.state() === 'error');
      assert.equal(list.problem()?.code, 'NETWORK');
      assert.match(list.problem()?.message ?? '', /not answering/);
      down = false;
      list.retry();
      await until(() => list.state() === 'ready');
      assert.equal(list.problem(), undefined);
      assert.equal(list.file(0)?.name, 'file-000.txt');
      dispose();
    });
  });

  it('when the server refuses the query, then its code and message are kept', async () => {
    const api = fakeFetch(() => ({
      errors: [
        { message: 'first must be between 0 and 1000', extensions: { code: 'BAD_USER_INPUT' } },
      ],
    }));
    await createRoot(async (dispose) => {
      const list = createFileList(createGraphQLClient({ fetch: api.fetch }), () => base);
      await until(() => list.state() === 'error');
      assert.deepEqual(list.problem(), {
        code: 'BAD_USER_INPUT',
        message: 'first must be between 0 and 1000',
      });
      dispose();
    });
  });

  it('when files are removed or changed, then rows and total follow without a reload', async () => {
    const api = fakeFetch((request) => pages(request, names.slice(0, 5)));
    await createRoot(async (dispose) => {
      const list = createFileList(createGraphQLClient({ fetch: api.fetch }), () => base);
      await until(() => list.state() === 'ready');
      const requests = api.seen.length;
      list.remove(['id:file-001.txt', 'id:not-listed']);
      assert.equal(list.count(), 4);
      assert.equal(list.file(1)?.name, 'file-002.txt');
      list.update('id:file-000.txt', fileNode('renamed.txt'));
      assert.equal(list.file(0)?.name, 'renamed.txt');
      assert.equal(api.seen.length, requests);
      dispose();
    });
  });

  it('when reloaded after an upload, then the old rows stay until the new ones replace them', async () => {
    const current = names.slice(0, 50);
    let release: (() => void) | undefined;
    const api = fakeFetch(async (request) => {
      if (release === undefined && api.seen.length > 1) {
        await new Promise<void>((resolve) => (release = resolve));
      }
      return pages(request, current);
    });
    await createRoot(async (dispose) => {
      const list = createFileList(createGraphQLClient({ fetch: api.fetch }), () => base);
      await until(() => list.state() === 'ready' && list.loadedCount() === 50);
      const listing = list.listing();
      current.unshift('aaa-new.txt');
      list.reload();
      await until(() => release !== undefined);
      assert.equal(list.file(0)?.name, 'file-000.txt', 'the old rows are still shown');
      assert.equal(list.state(), 'ready');
      release?.();
      await until(() => list.file(0)?.name === 'aaa-new.txt');
      assert.equal(list.count(), 51);
      assert.equal(list.listing(), listing, 'a reload is not a new listing');
      dispose();
    });
  });

  it('when the folder is empty, then the list is ready with no rows', async () => {
    const api = fakeFetch((request) => pages(request, []));
    await createRoot(async (dispose) => {
      const list = createFileList(createGraphQLClient({ fetch: api.fetch }), () => base);
      await until(() => list.state() === 'ready');
      assert.equal(list.count(), 0);
      assert.equal(list.totalCount(), 0);
      dispose();
    });
  });
});
