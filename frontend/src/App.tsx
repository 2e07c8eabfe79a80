import {
  Match,
  Show,
  Switch,
  batch,
  createEffect,
  createMemo,
  createSignal,
  onCleanup,
  onMount,
  type JSX,
} from 'solid-js';
import { deleteFiles, moveFolder, renameFile } from './files/fileActions.ts';
import { createFileList } from './files/fileList.ts';
import { createFolders } from './files/folders.ts';
import { baseName, downloadUrl, folderOf, renamedFolder, uploadPrefix } from './files/names.ts';
import { createGraphQLClient } from './graphql/client.ts';
import type { FileNode, FileOrder, FileOrderField, Folder } from './graphql/types.ts';
import { createSystemHealth } from './health/systemHealth.ts';
import { restoreFiles } from './trash/trashActions.ts';
import { createTrashList } from './trash/trashList.ts';
import { createDebounced } from './ui/debounced.ts';
import { formatSize, plural } from './ui/format.ts';
import { createMedia } from './ui/media.ts';
import { filesFromDrop, filesFromInput, type PickedFile } from './uploads/pickedFiles.ts';
import { createUploadLimits } from './uploads/uploadLimits.ts';
import { createUploadQueue } from './uploads/uploadQueue.ts';
import { ConfirmDialog } from './components/ConfirmDialog.tsx';
import { FileTable } from './components/FileTable.tsx';
import { Icon } from './components/Icon.tsx';
import { ListBar } from './components/ListBar.tsx';
import { ListError, ListMessage } from './components/ListState.tsx';
import { Notices, type Notice } from './components/Notices.tsx';
import { PreviewPanel } from './components/PreviewPanel.tsx';
import { TopBar } from './components/TopBar.tsx';
import { SystemPanel } from './components/SystemPanel.tsx';
import { TrashView } from './components/TrashView.tsx';
import { UploadPanel } from './components/UploadPanel.tsx';

/** The trash's address: without the "/" that every folder's has, so no folder can take it. */
const trashHref = '#trash';

type View = 'files' | 'trash';

function viewFromHash(): View {
  return location.hash === trashHref ? 'trash' : 'files';
}

/** "#/photos/2024/" ⇄ "photos/2024/": the folder lives in the URL, so Back and links work. */
function prefixFromHash(): string {
  if (viewFromHash() === 'trash') return '';
  const path = location.hash.replace(/^#\/?/, '');
  try {
    return path
      .split('/')
      .map((part) => decodeURIComponent(part))
      .join('/');
  } catch {
    return '';
  }
}

function hrefOf(path: string): string {
  return `#/${path.split('/').map(encodeURIComponent).join('/')}`;
}

interface PendingDelete {
  readonly files: readonly FileNode[];
}

interface PendingRename {
  readonly file: FileNode;
  readonly name: string;
}

export function App(): JSX.Element {
  const client = createGraphQLClient();
  const narrow = createMedia('(max-width: 640px)');
  const [view, setView] = createSignal(viewFromHash());
  const [prefix, setPrefix] = createSignal(prefixFromHash());
  const [searchText, setSearchText] = createSignal('');
  const [search, searchLater, searchNow] = createDebounced('', 250);
  const [order, setOrder] = createSignal<FileOrder>({ field: 'NAME', direction: 'ASC' });
  const [flat, setFlat] = createSignal(false);
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
  let anchor: number | undefined;
  const [renamingId, setRenamingId] = createSignal<string>();
  const [renamingFolder, setRenamingFolder] = createSignal<string>();
  const [preview, setPreview] = createSignal<FileNode>();
  const [systemOpen, setSystemOpen] = createSignal(false);
  const [pendingDelete, setPendingDelete] = createSignal<PendingDelete>();
  const [pendingRename, setPendingRename] = createSignal<PendingRename>();
  const [notices, setNotices] = createSignal<Notice[]>([]);
  const [dragging, setDragging] = createSignal(false);
  let searchInput: HTMLInputElement | undefined;
  let filePicker!: HTMLInputElement;
  let folderPicker!: HTMLInputElement;
  let replacePicker!: HTMLInputElement;
  let replaceTarget: FileNode | undefined;
  let noticeId = 0;

  const searching = () => search().trim() !== '';
  const recursive = () => flat() || searching();
  const query = createMemo(() => ({
    prefix: prefix(),
    search: search().trim(),
    recursive: recursive(),
    order: order(),
  }));
  const list = createFileList(client, query);
  const folders = createFolders(client, () => (recursive() ? undefined : prefix()));
  const limits = createUploadLimits(client);
  const health = createSystemHealth(client, systemOpen);
  // Loaded afresh each time the trash is opened, and let go when it is left.
  const trash = createMemo(() => (view() === 'trash' ? createTrashList(client) : undefined));

  function notify(tone: Notice['tone'], message: string, action?: Notice['action']): void {
    const id = ++noticeId;
    setNotices((list) => [...list.slice(-2), { id, tone, message, ...(action ? { action } : {}) }]);
    // A notice with an action stays longer: there is time to read it and decide.
    setTimeout(() => dismissNotice(id), tone === 'error' ? 12_000 : action ? 10_000 : 6000);
  }
  const dismissNotice = (id: number) => setNotices((list) => list.filter((n) => n.id !== id));
  /** Closing a panel puts the keyboard back on the list. */
  const closePanels = () => {
    batch(() => {
      setPreview(undefined);
      setSystemOpen(false);
    });
    document.querySelector<HTMLElement>('.scroller')?.focus();
  };

  let reloadTimer: ReturnType<typeof setTimeout> | undefined;
  function reloadSoon(): void {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => {
      list.reload();
      folders.refetch();
    }, 300);
  }

  const queue = createUploadQueue(client, {
    limits,
    onUploaded(file, entry) {
      if (entry.replaceId) {
        list.update(entry.replaceId, file);
        if (preview()?.id === entry.replaceId) setPreview(file);
      } else reloadSoon();
    },
  });

  // A server that went away comes back by itself: try again while the list shows the error.
  createEffect(() => {
    const problem = list.problem();
    if (!problem || (problem.code !== 'NETWORK' && problem.code !== 'UNAVAILABLE')) return;
    const timer = setTimeout(() => list.retry(), 5000);
    onCleanup(() => clearTimeout(timer));
  });

  // Selection and rename belong to the listing they were made in.
  createEffect(() => {
    query();
    batch(() => {
      setSelected(new Set<string>());
      setRenamingId(undefined);
      setRenamingFolder(undefined);
    });
    anchor = undefined;
  });

  const onHash = () => {
    const next = viewFromHash();
    batch(() => {
      setView(next);
      // The folder stays what it was while the trash shows, for the way back.
      if (next === 'files') setPrefix(prefixFromHash());
      setPreview(undefined);
    });
  };
  const onGlobalKey = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    const typing = target?.closest('input, textarea, select, [contenteditable]');
    if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      searchInput?.focus();
    } else if (event.key === 'Escape' && !typing && (preview() || systemOpen())) closePanels();
  };
  let dragDepth = 0;
  const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
  const onDragEnter = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth += 1;
    setDragging(true);
  };
  const onDragOver = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };
  const onDragLeave = () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) setDragging(false);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    dragDepth = 0;
    setDragging(false);
    if (!event.dataTransfer) return;
    const folder = prefix();
    filesFromDrop(event.dataTransfer).then(
      (files) => addUploads(files, folder),
      () => notify('error', 'The dropped files could not be read. Try the Upload button instead.'),
    );
  };
  onMount(() => {
    window.addEventListener('hashchange', onHash);
    window.addEventListener('keydown', onGlobalKey);
    window.addEventListener('dragenter', onDragEnter);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
  });
  onCleanup(() => {
    window.removeEventListener('hashchange', onHash);
    window.removeEventListener('keydown', onGlobalKey);
    window.removeEventListener('dragenter', onDragEnter);
    window.removeEventListener('dragover', onDragOver);
    window.removeEventListener('dragleave', onDragLeave);
    window.removeEventListener('drop', onDrop);
    clearTimeout(reloadTimer);
  });

  function addUploads(files: readonly PickedFile[], folder: string): void {
    if (files.length === 0) {
      notify('warning', 'Nothing to upload: no files were found in what was picked or dropped.');
      return;
    }
    queue.add(
      files.map(({ file, relativePath }) => ({ file, prefix: uploadPrefix(folder, relativePath) })),
    );
    const limit = limits()?.maxFileSize;
    const refused = limit === undefined ? [] : files.filter(({ file }) => file.size > limit);
    if (refused.length > 0 && limit !== undefined) {
      notify(
        'error',
        `${plural(refused.length, 'file')} over the ${formatSize(limit)} limit ${refused.length === 1 ? 'was' : 'were'} not sent.`,
      );
    }
  }

  function sortBy(field: FileOrderField): void {
    const current = order();
    setOrder({
      field,
      direction:
        current.field === field
          ? current.direction === 'ASC'
            ? 'DESC'
            : 'ASC'
          : field === 'NAME'
            ? 'ASC'
            : 'DESC',
    });
  }

  function toggle(file: FileNode, index: number, range: boolean): void {
    const next = new Set(selected());
    const folderCount = folders.list().length;
    if (range && anchor !== undefined) {
      const select = !next.has(file.id);
      const [from, to] = anchor < index ? [anchor, index] : [index, anchor];
      for (let i = from; i <= to; i += 1) {
        const node = list.file(i - folderCount);
        if (node) {
          if (select) next.add(node.id);
          else next.delete(node.id);
        }
      }
    } else if (next.has(file.id)) next.delete(file.id);
    else next.add(file.id);
    anchor = index;
    setSelected(next);
  }

  function loadedFiles(): FileNode[] {
    const files: FileNode[] = [];
    for (let index = 0; index < list.loadedCount(); index += 1) {
      const file = list.file(index);
      if (file) files.push(file);
    }
    return files;
  }

  const selectedFiles = () => {
    const ids = selected();
    return ids.size === 0 ? [] : loadedFiles().filter((file) => ids.has(file.id));
  };
  const allSelected = () => list.loadedCount() > 0 && selected().size >= list.loadedCount();

  async function rename(file: FileNode, name: string, overwrite: boolean): Promise<void> {
    const full = folderOf(file.name) + name.trim();
    const outcome = await renameFile(client, file.id, full, overwrite);
    if (outcome.ok) {
      const renamed = outcome.value;
      const movedAway = !recursive() && folderOf(renamed.name) !== prefix();
      if (movedAway) {
        list.remove([file.id]);
        folders.refetch();
        notify(
          'success',
          `Moved ${baseName(file.name)} to ${folderOf(renamed.name) || 'the top folder'}.`,
        );
      } else {
        list.update(file.id, renamed);
        notify('success', `Renamed to ${baseName(renamed.name)}.`);
      }
      if (preview()?.id === file.id) setPreview(renamed);
      return;
    }
    const { problem } = outcome;
    if (problem.code === 'CONFLICT' && !overwrite) setPendingRename({ file, name });
    else if (problem.code === 'NOT_FOUND') {
      list.remove([file.id]);
      if (preview()?.id === file.id) setPreview(undefined);
      notify('warning', `${baseName(file.name)} is gone: someone else deleted or renamed it.`);
    } else notify('error', `Could not rename ${baseName(file.name)}: ${problem.message}`);
  }

  async function remove(files: readonly FileNode[]): Promise<void> {
    const outcome = await deleteFiles(
      client,
      files.map((file) => file.id),
    );
    if (!outcome.ok) {
      notify('error', `Nothing was deleted: ${outcome.problem.message}`);
      return;
    }
    const { deleted, alreadyGone } = outcome.value;
    list.remove([...deleted, ...alreadyGone]);
    const gone = new Set([...deleted, ...alreadyGone]);
    setSelected((ids) => new Set([...ids].filter((id) => !gone.has(id))));
    if (preview() && gone.has(preview()?.id ?? '')) setPreview(undefined);
    if (deleted.length > 0) {
      notify('success', `Moved ${plural(deleted.length, 'file')} to the trash.`, {
        label: 'Undo',
        run: () => void undoDelete(deleted),
      });
    }
    if (alreadyGone.length > 0) {
      notify(
        'warning',
        `${plural(alreadyGone.length, 'file')} had already been deleted elsewhere (another tab or person).`,
      );
    }
    folders.refetch();
  }

  async function undoDelete(ids: readonly string[]): Promise<void> {
    const outcome = await restoreFiles(client, ids);
    if (!outcome.ok) {
      notify('error', `Could not undo the delete: ${outcome.problem.message}`);
      return;
    }
    if (outcome.value.length === 0) {
      notify('warning', 'Nothing to undo: those files are no longer in the trash.');
      return;
    }
    notify('success', `Restored ${plural(outcome.value.length, 'file')}.`);
    list.reload();
    folders.refetch();
  }

  /** A folder's new name may hold "/" to move it deeper, as a file's may. */
  async function renameFolder(folder: Folder, name: string): Promise<void> {
    const to = renamedFolder(folder.path, name);
    if (to === undefined || to === folder.path) return;
    const outcome = await moveFolder(client, folder.path, to);
    if (!outcome.ok) {
      notify('error', `Could not move ${folder.name}: ${outcome.problem.message}`);
      return;
    }
    const files = plural(outcome.value, 'file');
    notify(
      'success',
      folderOf(to.slice(0, -1)) === folderOf(folder.path.slice(0, -1))
        ? `Renamed the folder ${folder.name} to ${baseName(to.slice(0, -1))} (${files}).`
        : `Moved the folder ${folder.name} to ${to} (${files}).`,
    );
    list.reload();
    folders.refetch();
  }

  function downloadAll(files: readonly FileNode[]): void {
    // One link click per file: there is no archive download; browsers ask once before several downloads.
    files.forEach((file, index) => {
      setTimeout(() => {
        const link = document.createElement('a');
        link.href = downloadUrl(file.url);
        link.download = baseName(file.name);
        document.body.append(link);
        link.click();
        link.remove();
      }, index * 250);
    });
  }

  const countText = () => {
    const total = list.totalCount();
    const loaded = list.loadedCount();
    if (list.state() === 'error' && loaded === 0) return 'Not loaded';
    if (searching()) {
      const matches = total === null ? `${loaded}+ matches` : plural(total, 'match', 'matches');
      return `${matches} for “${search().trim()}”${prefix() ? ` in ${prefix()}` : ''}`;
    }
    const files = total === null ? `${loaded}+ files` : plural(total, 'file');
    const folderCount = folders.list().length;
    return folderCount > 0 ? `${plural(folderCount, 'folder')} · ${files}` : files;
  };

  const isEmpty = () =>
    list.state() === 'ready' &&
    list.count() === 0 &&
    folders.list().length === 0 &&
    !folders.loading();

  const fileActions = {
    onOpen: (file: FileNode) => {
      setSystemOpen(false);
      setPreview(file);
    },
    onToggle: toggle,
    onRenameStart: (file: FileNode) => setRenamingId(file.id),
    onRenameDone: (file: FileNode, name: string | undefined) => {
      setRenamingId(undefined);
      if (name !== undefined) void rename(file, name, false);
    },
    onReplace: (file: FileNode) => {
      replaceTarget = file;
      replacePicker.click();
    },
    onDelete: (file: FileNode) => setPendingDelete({ files: [file] }),
  };

  const folderActions = {
    onRenameStart: (folder: Folder) => setRenamingFolder(folder.path),
    onRenameDone: (folder: Folder, name: string | undefined) => {
      setRenamingFolder(undefined);
      if (name !== undefined) void renameFolder(folder, name);
    },
  };

  return (
    <div class="app" classList={{ 'panel-open': Boolean(preview() || systemOpen()) }}>
      <TopBar
        homeHref={hrefOf('')}
        searchText={searchText()}
        searchRef={(element) => (searchInput = element)}
        onSearchInput={(value) => {
          // A search lists files: from the trash, it goes back to them.
          if (view() === 'trash') location.hash = hrefOf(prefix());
          setSearchText(value);
          searchLater(value);
        }}
        onSearchClear={() => {
          setSearchText('');
          searchNow('');
        }}
        onUpload={() => filePicker.click()}
        onUploadFolder={() => folderPicker.click()}
        trashHref={trashHref}
        trashOpen={view() === 'trash'}
        systemOpen={systemOpen()}
        onToggleSystem={() => {
          setPreview(undefined);
          setSystemOpen(!systemOpen());
        }}
      />
      <input
        ref={filePicker}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(event) => {
          addUploads(filesFromInput(event.currentTarget.files), prefix());
          event.currentTarget.value = '';
        }}
      />
      <input
        ref={(element) => {
          folderPicker = element;
          // Not a standard attribute: set as a property so JSX typing stays honest.
          element.webkitdirectory = true;
        }}
        type="file"
        multiple
        hidden
        data-testid="folder-input"
        onChange={(event) => {
          addUploads(filesFromInput(event.currentTarget.files), prefix());
          event.currentTarget.value = '';
        }}
      />
      <input
        ref={replacePicker}
        type="file"
        hidden
        data-testid="replace-input"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          if (file && replaceTarget) queue.replace(replaceTarget, file);
          event.currentTarget.value = '';
        }}
      />

      {/* Hidden, not gone, while the trash shows: the list keeps its place. */}
      <main class="main" hidden={view() === 'trash'}>
        <ListBar
          prefix={prefix()}
          hrefOf={hrefOf}
          count={
            list.state() !== 'loading' || list.loadedCount() > 0 ? countText() : 'Loading files…'
          }
          selectedCount={selected().size}
          recursive={recursive()}
          searching={searching()}
          onRecursive={setFlat}
          order={order()}
          onOrder={setOrder}
          onDownloadSelected={() => downloadAll(selectedFiles())}
          onDeleteSelected={() => setPendingDelete({ files: selectedFiles() })}
          onClearSelection={() => setSelected(new Set<string>())}
        />

        <Show when={list.state() === 'error' && list.loadedCount() > 0 && list.problem()}>
          {(problem) => (
            <div class="notice error inline" role="alert">
              <Icon name="alert" size={18} />
              <span>More files could not be loaded: {problem().message}</span>
              <button type="button" class="text-button" onClick={() => list.retry()}>
                Try again
              </button>
            </div>
          )}
        </Show>
        <Show when={folders.problem()}>
          {(problem) => (
            <div class="notice error inline" role="alert">
              <Icon name="alert" size={18} />
              <span>Folders could not be loaded: {problem().message}</span>
              <button type="button" class="text-button" onClick={() => folders.refetch()}>
                Try again
              </button>
            </div>
          )}
        </Show>

        <div class="list-area">
          <Switch
            fallback={
              <FileTable
                list={list}
                folders={folders.list()}
                showFolderColumn={recursive()}
                rowHeight={narrow() ? 60 : 44}
                order={order()}
                onSort={sortBy}
                isSelected={(id) => selected().has(id)}
                allSelected={allSelected()}
                onSelectAll={(select) =>
                  setSelected(
                    select ? new Set(loadedFiles().map((file) => file.id)) : new Set<string>(),
                  )
                }
                renamingId={renamingId()}
                actions={fileActions}
                renamingFolder={renamingFolder()}
                folderActions={folderActions}
                onOpenFolder={(path) => (location.hash = hrefOf(path))}
                onDeleteKey={(active) => {
                  const chosen = selectedFiles();
                  if (chosen.length > 0) setPendingDelete({ files: chosen });
                  else if (active) setPendingDelete({ files: [active] });
                }}
                label={searching() ? 'Search results' : `Files in ${prefix() || 'the top folder'}`}
              />
            }
          >
            <Match when={list.state() === 'error' && list.loadedCount() === 0 && list.problem()}>
              {(problem) => <ListError problem={problem()} onRetry={() => list.retry()} />}
            </Match>
            <Match when={isEmpty() && searching()}>
              <ListMessage icon="search" title={`No files match “${search().trim()}”`}>
                <p>
                  Names are searched{' '}
                  {prefix() ? `in ${prefix()} and its subfolders` : 'in every folder'}, ignoring
                  case.
                </p>
                <button
                  type="button"
                  class="button"
                  onClick={() => {
                    setSearchText('');
                    searchNow('');
                  }}
                >
                  Clear the search
                </button>
              </ListMessage>
            </Match>
            <Match when={isEmpty()}>
              <ListMessage icon="upload" title={prefix() ? 'This folder is empty' : 'No files yet'}>
                <p>Drop files anywhere on this page, or choose them to upload.</p>
                <button type="button" class="button primary" onClick={() => filePicker.click()}>
                  <Icon name="upload" size={18} /> Upload files
                </button>
              </ListMessage>
            </Match>
          </Switch>
        </div>
      </main>
      <Show when={trash()}>
        {(trashList) => (
          <TrashView
            trash={trashList()}
            filesHref={hrefOf(prefix())}
            notify={notify}
            onRestored={() => {
              list.reload();
              folders.refetch();
            }}
          />
        )}
      </Show>

      <Show when={preview()}>
        {(file) => (
          <PreviewPanel
            file={file()}
            onClose={closePanels}
            onRename={(target) => {
              setPreview(undefined);
              setRenamingId(target.id);
            }}
            onReplace={fileActions.onReplace}
            onDelete={fileActions.onDelete}
          />
        )}
      </Show>
      <Show when={systemOpen()}>
        <SystemPanel health={health} onClose={closePanels} />
      </Show>

      <UploadPanel queue={queue} />

      <Show when={dragging()}>
        <div class="drop-overlay" aria-hidden="true">
          <div class="drop-target">
            <Icon name="upload" size={48} />
            <p>Drop to upload to {prefix() || 'the top folder'}</p>
          </div>
        </div>
      </Show>

      <ConfirmDialog
        open={Boolean(pendingDelete())}
        title={
          (pendingDelete()?.files.length ?? 0) === 1
            ? `Delete ${baseName(pendingDelete()?.files[0]?.name ?? '')}?`
            : `Delete ${plural(pendingDelete()?.files.length ?? 0, 'file')}?`
        }
        message={
          (pendingDelete()?.files.length ?? 0) === 1
            ? 'It goes to the trash, where it can be restored.'
            : 'They go to the trash, where they can be restored.'
        }
        confirmLabel="Delete"
        onCancel={() => setPendingDelete(undefined)}
        onConfirm={() => {
          const files = pendingDelete()?.files ?? [];
          setPendingDelete(undefined);
          void remove(files);
        }}
      />
      <ConfirmDialog
        open={Boolean(pendingRename())}
        title="Replace the existing file?"
        message={`A file named ${pendingRename()?.name ?? ''} already exists here. Renaming replaces it; that file goes to the trash.`}
        confirmLabel="Replace it"
        onCancel={() => setPendingRename(undefined)}
        onConfirm={() => {
          const pending = pendingRename();
          setPendingRename(undefined);
          if (pending) void rename(pending.file, pending.name, true);
        }}
      />
      <Notices notices={notices()} onDismiss={dismissNotice} />
    </div>
  );
}
