import { batch, createSignal, onCleanup, untrack, type Accessor } from 'solid-js';
import type { Outcome } from '../files/fileActions.ts';
import type { Problem } from './problems.ts';
import type { Connection } from './types.ts';

/** loading: the first page is on its way; error: it failed, so there is nothing to show. */
export type ListState = 'loading' | 'empty' | 'ready' | 'error';

/**
 * A list the API answers a page at a time (`loadMore` follows its cursor),
 * shown as far as it is loaded, and kept up to date by what is done to it
 * here without a reload. A list the API answers whole is one page.
 */
export interface PagedList<T> {
  readonly items: Accessor<readonly T[]>;
  /** How many the whole list holds, when the server tells it. */
  readonly totalCount: Accessor<number | null>;
  readonly state: Accessor<ListState>;
  /** Why the last page could not be loaded (also after some were). */
  readonly problem: Accessor<Problem | undefined>;
  readonly hasMore: Accessor<boolean>;
  readonly loadingMore: Accessor<boolean>;
  loadMore(): void;
  /** Starts again from the first page (also after an error). */
  reload(): void;
  /** Puts a changed item in place of the one with its key. */
  put(item: T): void;
  /**
   * Adds one made here: at the end, or where `order` puts it. Counted either
   * way, but not shown when it would come after the pages loaded so far.
   */
  add(item: T, order?: (a: T, b: T) => number): void;
  /** Takes items out (they went elsewhere); the total follows. */
  remove(keys: readonly string[]): void;
  /** Everything went (the trash was emptied): an empty list, without asking. */
  clear(): void;
}

export interface PagedListOptions<T> {
  /** Asks for the page after `cursor` (null: the first). */
  fetchPage(cursor: string | null): Promise<Outcome<Connection<T>>>;
  /** Each item once, by this key, should pages overlap while the list changes. */
  key(item: T): string;
}

/** One page that holds the whole list, for the API's lists that are not paged. */
export function wholeList<T>(outcome: Outcome<T[]>): Outcome<Connection<T>> {
  if (!outcome.ok) return outcome;
  const nodes = outcome.value;
  return {
    ok: true,
    value: { nodes, pageInfo: { hasNextPage: false, endCursor: null }, totalCount: nodes.length },
  };
}

export function createPagedList<T>(options: PagedListOptions<T>): PagedList<T> {
  const { key } = options;
  const [items, setItems] = createSignal<readonly T[]>([]);
  const [total, setTotal] = createSignal<number | null>(null);
  const [loaded, setLoaded] = createSignal(false);
  const [problem, setProblem] = createSignal<Problem>();
  const [hasMore, setHasMore] = createSignal(false);
  const [inFlight, setInFlight] = createSignal(false);
  let cursor: string | null = null;
  /** Answers for an older generation (before a reload or a clear) are dropped. */
  let generation = 0;
  let disposed = false;
  onCleanup(() => {
    disposed = true;
  });

  async function fetchPage(): Promise<void> {
    const mine = generation;
    setInFlight(true);
    const outcome = await options.fetchPage(cursor);
    if (mine !== generation || disposed) return;
    batch(() => {
      setInFlight(false);
      if (!outcome.ok) {
        setProblem(outcome.problem);
        return;
      }
      const connection = outcome.value;
      const shown = untrack(items);
      const known = new Set(shown.map(key));
      const all = [...shown, ...connection.nodes.filter((item) => !known.has(key(item)))];
      cursor = connection.pageInfo.endCursor;
      setItems(all);
      setHasMore(connection.pageInfo.hasNextPage && connection.nodes.length > 0);
      setTotal(connection.totalCount === null ? null : Math.max(connection.totalCount, all.length));
      setProblem(undefined);
      setLoaded(true);
    });
  }

  /** Forgets every page; `loadedEmpty`: it is known to be empty, so nothing is asked. */
  function restart(loadedEmpty: boolean): void {
    generation += 1;
    cursor = null;
    batch(() => {
      setItems([]);
      setTotal(loadedEmpty ? 0 : null);
      setLoaded(loadedEmpty);
      setHasMore(false);
      setInFlight(false);
      setProblem(undefined);
    });
    if (!loadedEmpty) void fetchPage();
  }

  void fetchPage();

  return {
    items,
    totalCount: total,
    state: () => {
      if (!loaded()) return problem() ? 'error' : 'loading';
      return items().length === 0 && !hasMore() ? 'empty' : 'ready';
    },
    problem,
    hasMore,
    loadingMore: () => loaded() && inFlight(),
    loadMore() {
      if (!loaded()) return restart(false);
      if (inFlight() || !hasMore()) return;
      void fetchPage();
    },
    reload: () => restart(false),
    put(changed) {
      setItems((list) => list.map((item) => (key(item) === key(changed) ? changed : item)));
    },
    add(item, order) {
      batch(() => {
        const list = [...items(), item];
        if (order) list.sort(order);
        // Last, with more pages behind: its place is in a page not loaded yet.
        if (!hasMore() || list.at(-1) !== item) setItems(list);
        setTotal((value) => (value === null ? null : value + 1));
      });
    },
    remove(keys) {
      const gone = new Set(keys);
      const left = items().filter((item) => !gone.has(key(item)));
      const removed = items().length - left.length;
      batch(() => {
        setItems(left);
        setTotal((value) => (value === null ? null : Math.max(left.length, value - removed)));
      });
      // All shown went: show the next page rather than an empty list with more behind it.
      if (left.length === 0 && hasMore() && !inFlight()) void fetchPage();
    },
    clear: () => restart(true),
  };
}
