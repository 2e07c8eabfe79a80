import { batch, createSignal, onCleanup, untrack, type Accessor } from 'solid-js';
import type { Client } from '@urql/core';
import type { Outcome } from '../files/fileActions.ts';
import { trashQuery } from '../graphql/operations.ts';
import { problemOf, type Problem } from '../graphql/problems.ts';
import type { FileConnection, FileNode } from '../graphql/types.ts';
import { emptyTrash, restoreFiles } from './trashActions.ts';

/** loading: the first page is on its way; error: it failed, so there is nothing to show. */
export type TrashState = 'loading' | 'empty' | 'ready' | 'error';

/**
 * The files in the trash, the most recently deleted first, a page at a time
 * (`loadMore` follows the server's cursor), with what can be done to them:
 * restored or purged. The list follows its own changes without a reload.
 */
export interface TrashList {
  readonly files: Accessor<readonly FileNode[]>;
  /** How many files the trash holds in all. */
  readonly totalCount: Accessor<number | null>;
  readonly state: Accessor<TrashState>;
  /** Why the last page could not be loaded (also after some were). */
  readonly problem: Accessor<Problem | undefined>;
  readonly hasMore: Accessor<boolean>;
  readonly loadingMore: Accessor<boolean>;
  loadMore(): void;
  /** Starts again from the first page (also after an error). */
  reload(): void;
  /** Brings files back, all or none; those restored leave the list. */
  restore(ids: readonly string[]): Promise<Outcome<FileNode[]>>;
  /** Purges the whole trash; the list is empty after it. */
  empty(): Promise<Outcome<number>>;
}

export function createTrashList(client: Client, options: { page?: number } = {}): TrashList {
  const page = options.page ?? 100;
  const [files, setFiles] = createSignal<readonly FileNode[]>([]);
  const [total, setTotal] = createSignal<number | null>(null);
  const [loaded, setLoaded] = createSignal(false);
  const [problem, setProblem] = createSignal<Problem>();
  const [hasMore, setHasMore] = createSignal(false);
  const [inFlight, setInFlight] = createSignal(false);
  let cursor: string | null = null;
  /** Answers for an older generation (before a reload or an emptying) are dropped. */
  let generation = 0;
  let disposed = false;
  onCleanup(() => {
    disposed = true;
  });

  async function fetchPage(): Promise<void> {
    const mine = generation;
    setInFlight(true);
    const result = await client
      .query<{ trash: FileConnection }>(trashQuery, { first: page, after: cursor })
      .toPromise();
    if (mine !== generation || disposed) return;
    const connection = result.data?.trash;
    batch(() => {
      setInFlight(false);
      if (result.error || !connection) {
        setProblem(
          result.error
            ? problemOf(result.error)
            : { code: 'UNKNOWN', message: 'The server sent no trash.' },
        );
        return;
      }
      const shown = untrack(files);
      // Each file once, should pages overlap while the trash changes.
      const known = new Set(shown.map((file) => file.id));
      const all = [...shown, ...connection.nodes.filter((file) => !known.has(file.id))];
      cursor = connection.pageInfo.endCursor;
      setFiles(all);
      setHasMore(connection.pageInfo.hasNextPage && connection.nodes.length > 0);
      setTotal(connection.totalCount === null ? null : Math.max(connection.totalCount, all.length));
      setProblem(undefined);
      setLoaded(true);
    });
  }

  function reload(): void {
    generation += 1;
    cursor = null;
    batch(() => {
      setFiles([]);
      setTotal(null);
      setLoaded(false);
      setHasMore(false);
      setProblem(undefined);
    });
    void fetchPage();
  }

  function forget(ids: readonly string[]): void {
    const gone = new Set(ids);
    const left = files().filter((file) => !gone.has(file.id));
    const removed = files().length - left.length;
    batch(() => {
      setFiles(left);
      setTotal((value) => (value === null ? null : Math.max(left.length, value - removed)));
    });
    // Everything shown went back: show the next page rather than an empty list with more behind it.
    if (left.length === 0 && hasMore() && !inFlight()) void fetchPage();
  }

  void fetchPage();

  return {
    files,
    totalCount: total,
    state: () => {
      if (!loaded()) return problem() ? 'error' : 'loading';
      return files().length === 0 && !hasMore() ? 'empty' : 'ready';
    },
    problem,
    hasMore,
    loadingMore: () => loaded() && inFlight(),
    loadMore() {
      if (!loaded()) return reload();
      if (inFlight() || !hasMore()) return;
      void fetchPage();
    },
    reload,
    async restore(ids) {
      const outcome = await restoreFiles(client, ids);
      if (outcome.ok) forget(ids);
      return outcome;
    },
    async empty() {
      const outcome = await emptyTrash(client);
      if (outcome.ok) {
        generation += 1;
        cursor = null;
        batch(() => {
          setFiles([]);
          setTotal(0);
          setHasMore(false);
          setInFlight(false);
          setProblem(undefined);
          setLoaded(true);
        });
      }
      return outcome;
    },
  };
}
