import { createEffect, createSignal, on, onCleanup, type Accessor } from 'solid-js';
import type { Client } from '@urql/core';
import { FilesDocument } from '../graphql/generated.ts';
import { problemOf, type Problem } from '../graphql/problems.ts';
import type { FileNode, FileOrder } from '../graphql/types.ts';

export interface FileListQuery {
  /** Folder path ending in "/", or "" for the top. */
  readonly prefix: string;
  readonly search: string;
  /** Include files in subfolders (always, while searching). */
  readonly recursive: boolean;
  readonly order: FileOrder;
}

export type LoadState = 'loading' | 'ready' | 'error';

export interface FileListOptions {
  /** The first page is small, so the first rows show quickly. */
  readonly firstPage?: number;
  readonly page?: number;
  /** Used when the rows in view are far past what is loaded (a jump to the end). */
  readonly bigPage?: number;
}

/**
 * One folder's (or one search's) files as a virtual list: rows are fetched
 * page by page with the API's cursors as the view needs them (`ensure`),
 * kept in a plain array, and announced with a version signal, so 100,000
 * rows cost one array and no reactive object per row. Stale answers (the
 * query changed meanwhile) are dropped.
 */
export interface FileList {
  /** The file at `index`, or undefined while its page is not loaded. */
  file(index: number): FileNode | undefined;
  /** Rows the list has: the server's total when it tells it, else what is loaded (+1 while there is more). */
  readonly count: Accessor<number>;
  /** Matches in all, when the server tells it. */
  readonly totalCount: Accessor<number | null>;
  readonly loadedCount: Accessor<number>;
  readonly state: Accessor<LoadState>;
  readonly problem: Accessor<Problem | undefined>;
  /** Changes when the list starts over for another folder, search or order (not on reload). */
  readonly listing: Accessor<string>;
  /** Asks for rows up to `index` to be loaded. */
  ensure(index: number): void;
  /**
   * Loads again from the start (after uploads) as far as the view had gone,
   * showing the rows it has until the new ones are all there: nothing jumps.
   */
  reload(): void;
  /** Tries the failed page again. */
  retry(): void;
  /** Takes files out without a reload (they were deleted). */
  remove(ids: readonly string[]): void;
  /** Puts a changed file in place of the one with `id` (renamed or replaced). */
  update(id: string, file: FileNode): void;
}

export function createFileList(
  client: Client,
  query: Accessor<FileListQuery>,
  options: FileListOptions = {},
): FileList {
  const firstPage = options.firstPage ?? 100;
  const page = options.page ?? 300;
  const bigPage = options.bigPage ?? 1000;

  let nodes: FileNode[] = [];
  let cursor: string | null = null;
  let hasNext = true;
  let inFlight = false;
  let wanted = 0;
  let generation = 0;
  let disposed = false;
  const [version, setVersion] = createSignal(0);
  const [total, setTotal] = createSignal<number | null>(null);
  const [more, setMore] = createSignal(true);
  const [state, setState] = createSignal<LoadState>('loading');
  const [problem, setProblem] = createSignal<Problem>();

  const changed = () => setVersion((value) => value + 1);

  function fetchPage(first: number, after: string | null) {
    const current = query();
    return client
      .query(FilesDocument, {
        first,
        after,
        prefix: current.prefix || null,
        search: current.search || null,
        recursive: current.recursive || Boolean(current.search),
        orderBy: current.order,
      })
      .toPromise()
      .then((result) => {
        const connection = result.data?.files;
        if (result.error || !connection) {
          return {
            problem: result.error
              ? problemOf(result.error)
              : { code: 'UNKNOWN', message: 'The server sent no files.' },
          };
        }
        return { connection };
      });
  }

  function failed(found: Problem): void {
    setProblem(found);
    setState('error');
  }

  /** Takes in where paging stands now; the total can drift while paging (others upload or delete). */
  function settle(known: number | null): void {
    setTotal(!hasNext ? nodes.length : known === null ? null : Math.max(known, nodes.length));
    setMore(hasNext);
    setProblem(undefined);
    setState('ready');
    changed();
  }

  async function loadMore(): Promise<void> {
    if (disposed || inFlight || !hasNext) return;
    if (nodes.length > 0 && nodes.length > wanted + page / 2) return;
    inFlight = true;
    const mine = generation;
    const first = nodes.length === 0 ? firstPage : wanted - nodes.length > page ? bigPage : page;
    const answer = await fetchPage(first, cursor);
    if (mine !== generation || disposed) return;
    inFlight = false;
    if (!answer.connection) return failed(answer.problem);
    nodes = nodes.concat(answer.connection.nodes);
    cursor = answer.connection.pageInfo.endCursor;
    hasNext = answer.connection.pageInfo.hasNextPage && answer.connection.nodes.length > 0;
    settle(answer.connection.totalCount);
    void loadMore();
  }

  async function reload(): Promise<void> {
    generation += 1;
    const mine = generation;
    inFlight = true;
    const fresh: FileNode[] = [];
    let after: string | null = null;
    let next = true;
    let known: number | null = null;
    while (next && fresh.length <= Math.max(wanted + page / 2, firstPage)) {
      const answer = await fetchPage(
        fresh.length === 0 ? Math.max(firstPage, page) : bigPage,
        after,
      );
      if (mine !== generation || disposed) return;
      if (!answer.connection) {
        inFlight = false;
        return failed(answer.problem);
      }
      fresh.push(...answer.connection.nodes);
      after = answer.connection.pageInfo.endCursor;
      next = answer.connection.pageInfo.hasNextPage && answer.connection.nodes.length > 0;
      known = answer.connection.totalCount;
    }
    inFlight = false;
    nodes = fresh;
    cursor = after;
    hasNext = next;
    settle(known);
    void loadMore();
  }

  function reset(): void {
    generation += 1;
    inFlight = false;
    nodes = [];
    cursor = null;
    hasNext = true;
    wanted = 0;
    setProblem(undefined);
    setState('loading');
    setTotal(null);
    setMore(true);
    changed();
    void loadMore();
  }

  const listing = () => JSON.stringify(query());
  createEffect(on(listing, reset));
  onCleanup(() => {
    disposed = true;
  });

  return {
    file(index) {
      version();
      return nodes[index];
    },
    count: () => {
      version();
      return total() ?? nodes.length + (more() ? 1 : 0);
    },
    totalCount: total,
    loadedCount: () => {
      version();
      return nodes.length;
    },
    state,
    problem,
    listing,
    ensure(index) {
      if (index <= wanted) {
        if (index >= nodes.length) void loadMore();
        return;
      }
      wanted = index;
      void loadMore();
    },
    reload: () => void reload(),
    retry() {
      if (state() !== 'error') return;
      setState(nodes.length ? 'ready' : 'loading');
      setProblem(undefined);
      void loadMore();
    },
    remove(ids) {
      const gone = new Set(ids);
      const before = nodes.length;
      nodes = nodes.filter((node) => !gone.has(node.id));
      const removed = before - nodes.length;
      if (removed === 0) return;
      setTotal((value) => (value === null ? null : Math.max(nodes.length, value - removed)));
      changed();
    },
    update(id, file) {
      const index = nodes.findIndex((node) => node.id === id);
      if (index < 0) return;
      nodes = nodes.slice();
      nodes[index] = file;
      changed();
    },
  };
}
