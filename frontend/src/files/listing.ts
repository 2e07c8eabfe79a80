import {
  batch,
  createEffect,
  createMemo,
  createSignal,
  on,
  onCleanup,
  type Accessor,
} from 'solid-js';
import type { Client } from '@urql/core';
import type { FileNode, FileOrder, FileOrderField } from '../graphql/types.ts';
import { createDebounced } from '../ui/debounced.ts';
import { createFileList, type FileList, type FileListQuery } from './fileList.ts';
import { createFolders, type Folders } from './folders.ts';

/**
 * What the files view lists: a folder's folders and files, or a search's matches,
 * in an order, and which row's name is being edited.
 */
export interface Listing {
  /** The folder: path ending in "/", or "" for the top. */
  readonly prefix: Accessor<string>;
  /** The search as typed. */
  readonly searchText: Accessor<string>;
  /** The search listed: what was typed once typing paused, trimmed. */
  readonly search: Accessor<string>;
  readonly searching: Accessor<boolean>;
  /** Files from subfolders too: asked for ("Include subfolders"), or while searching. */
  readonly recursive: Accessor<boolean>;
  readonly order: Accessor<FileOrder>;
  readonly query: Accessor<FileListQuery>;
  readonly files: FileList;
  readonly folders: Folders;
  readonly renamingId: Accessor<string | undefined>;
  /** The path of the folder being renamed. */
  readonly renamingFolder: Accessor<string | undefined>;
  typeSearch(text: string): void;
  clearSearch(): void;
  setFlat(flat: boolean): void;
  setOrder(order: FileOrder): void;
  sortBy(field: FileOrderField): void;
  setRenamingId(id: string | undefined): void;
  setRenamingFolder(path: string | undefined): void;
  /** Every file loaded so far, in list order. */
  loaded(): FileNode[];
  /** Loads files and folders again (after a restore or a move). */
  reload(): void;
  /** Reloads once uploads stop finishing in quick succession. */
  reloadSoon(): void;
}

/** A click on a column: the other direction if it is the column sorted by, else its usual one. */
export function nextOrder(current: FileOrder, field: FileOrderField): FileOrder {
  if (current.field === field) {
    return { field, direction: current.direction === 'ASC' ? 'DESC' : 'ASC' };
  }
  return { field, direction: field === 'NAME' ? 'ASC' : 'DESC' };
}

export function createListing(client: Client, prefix: Accessor<string>): Listing {
  const [searchText, setSearchText] = createSignal('');
  const [typed, searchLater, searchNow] = createDebounced('', 250);
  const [order, setOrder] = createSignal<FileOrder>({ field: 'NAME', direction: 'ASC' });
  const [flat, setFlat] = createSignal(false);
  const [renamingId, setRenamingId] = createSignal<string>();
  const [renamingFolder, setRenamingFolder] = createSignal<string>();

  const search = () => typed().trim();
  const searching = () => search() !== '';
  const recursive = () => flat() || searching();
  const query = createMemo(() => ({
    prefix: prefix(),
    search: search(),
    recursive: recursive(),
    order: order(),
  }));
  const files = createFileList(client, query);
  const folders = createFolders(client, () => (recursive() ? undefined : prefix()));

  // A server that went away comes back by itself: try again while the list shows the error.
  createEffect(() => {
    const problem = files.problem();
    if (!problem || (problem.code !== 'NETWORK' && problem.code !== 'UNAVAILABLE')) return;
    const timer = setTimeout(() => files.retry(), 5000);
    onCleanup(() => clearTimeout(timer));
  });

  // A rename belongs to the listing it was started in.
  createEffect(
    on(query, () =>
      batch(() => {
        setRenamingId(undefined);
        setRenamingFolder(undefined);
      }),
    ),
  );

  const reload = () => {
    files.reload();
    folders.refetch();
  };
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(reloadTimer));

  return {
    prefix,
    searchText,
    search,
    searching,
    recursive,
    order,
    query,
    files,
    folders,
    renamingId,
    renamingFolder,
    typeSearch(text) {
      setSearchText(text);
      searchLater(text);
    },
    clearSearch() {
      setSearchText('');
      searchNow('');
    },
    setFlat,
    setOrder,
    sortBy: (field) => setOrder(nextOrder(order(), field)),
    setRenamingId,
    setRenamingFolder,
    loaded() {
      const loaded: FileNode[] = [];
      for (let index = 0; index < files.loadedCount(); index += 1) {
        const file = files.file(index);
        if (file) loaded.push(file);
      }
      return loaded;
    },
    reload,
    reloadSoon() {
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(reload, 300);
    },
  };
}
