import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoot } from 'solid-js';
import type { Outcome } from '../../src/files/fileActions.ts';
import { createPagedList, wholeList } from '../../src/graphql/pagedList.ts';
import type { Connection } from '../../src/graphql/types.ts';
import { createSubmission } from '../../src/ui/submission.ts';
import { until } from './fakeApi.ts';

interface Item {
  readonly id: string;
  readonly name: string;
}

const item = (name: string): Item => ({ id: name, name });
const byName = (a: Item, b: Item) => a.name.localeCompare(b.name);

/** Pages of `size` over `items` as they are when asked for; `held`: answered on `release`. */
function pagesOf(items: Item[], size: number, options: { held?: boolean } = {}) {
  const asked: (string | null)[] = [];
  const waiting: (() => void)[] = [];
  const fetchPage = async (cursor: string | null): Promise<Outcome<Connection<Item>>> => {
    asked.push(cursor);
    const start = cursor ? Number(cursor) : 0;
    const nodes = items.slice(start, start + size);
    const end = start + nodes.length;
    if (options.held) await new Promise<void>((resolve) => waiting.push(resolve));
    return {
      ok: true,
      value: {
        nodes,
        pageInfo: { hasNextPage: end < items.length, endCursor: String(end) },
        totalCount: items.length,
      },
    };
  };
  return { fetchPage, asked, release: () => waiting.splice(0).forEach((resolve) => resolve()) };
}

describe('paged list', () => {
  it('when one is added past the pages loaded, then it is counted but not shown', async () => {
    const api = pagesOf([item('b'), item('d'), item('f')], 2);
    await createRoot(async (dispose) => {
      const list = createPagedList({ fetchPage: api.fetchPage, key: (each) => each.id });
      await until(() => list.state() === 'ready');
      list.add(item('z'), byName);
      assert.deepEqual(
        list.items().map((each) => each.name),
        ['b', 'd'],
      );
      list.add(item('c'), byName);
      assert.deepEqual(
        list.items().map((each) => each.name),
        ['b', 'c', 'd'],
      );
      assert.equal(list.totalCount(), 5);
      dispose();
    });
  });

  it('when every item shown is removed, then the next page is loaded', async () => {
    const api = pagesOf([item('a'), item('b'), item('c')], 2);
    await createRoot(async (dispose) => {
      const list = createPagedList({ fetchPage: api.fetchPage, key: (each) => each.id });
      await until(() => list.state() === 'ready');
      list.remove(['a', 'b']);
      assert.equal(list.totalCount(), 1);
      await until(() => list.items().length === 1);
      assert.equal(list.items()[0]?.name, 'c');
      assert.deepEqual(api.asked, [null, '2']);
      dispose();
    });
  });

  it('when it is reloaded while a page is on its way, then that page is dropped', async () => {
    const items = [item('a')];
    const api = pagesOf(items, 1, { held: true });
    await createRoot(async (dispose) => {
      const list = createPagedList({ fetchPage: api.fetchPage, key: (each) => each.id });
      items[0] = item('b');
      list.reload();
      api.release();
      await until(() => list.state() === 'ready');
      await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual(
        list.items().map((each) => each.name),
        ['b'],
      );
      dispose();
    });
  });

  it('when it is cleared, then it is empty without asking the server', async () => {
    const api = pagesOf([item('a'), item('b')], 1);
    await createRoot(async (dispose) => {
      const list = createPagedList({ fetchPage: api.fetchPage, key: (each) => each.id });
      await until(() => list.state() === 'ready');
      list.clear();
      assert.equal(list.state(), 'empty');
      assert.equal(list.totalCount(), 0);
      assert.equal(list.hasMore(), false);
      assert.equal(api.asked.length, 1);
      dispose();
    });
  });

  it('when the API answers a whole list, then it is one page with nothing more', async () => {
    await createRoot(async (dispose) => {
      const list = createPagedList({
        fetchPage: async () => wholeList<Item>({ ok: true, value: [item('a'), item('b')] }),
        key: (each) => each.id,
      });
      await until(() => list.state() === 'ready');
      assert.equal(list.totalCount(), 2);
      assert.equal(list.hasMore(), false);
      dispose();
    });
  });
});

describe('submission', () => {
  it('when the input is wrong or one is on its way, then nothing is sent', async () => {
    await createRoot(async (dispose) => {
      const form = createSubmission();
      let sent = 0;
      let answer = () => {};
      const send = () => {
        sent += 1;
        return new Promise<Outcome<string>>((resolve) => {
          answer = () => resolve({ ok: false, problem: { code: 'CONFLICT', message: 'taken' } });
        });
      };
      assert.equal(await form.send(send, 'Give it a name.'), undefined);
      assert.equal(form.refusal(), 'Give it a name.');
      const first = form.send(send);
      assert.equal(form.refusal(), undefined, 'a new try clears the old refusal');
      assert.equal(form.busy(), true);
      assert.equal(await form.send(send), undefined);
      answer();
      assert.equal((await first)?.ok, false);
      assert.equal(form.busy(), false);
      assert.equal(form.refusal(), 'taken');
      assert.equal(sent, 1);
      dispose();
    });
  });
});
