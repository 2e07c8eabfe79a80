import { Match, Show, Switch, type JSX } from 'solid-js';
import type { FileCommands } from '../files/fileCommands.ts';
import type { Listing } from '../files/listing.ts';
import type { FileNode, Folder } from '../graphql/types.ts';
import { folderHref } from '../routing/routes.ts';
import { plural } from '../ui/format.ts';
import { createMedia } from '../ui/media.ts';
import type { Selection } from '../ui/selection.ts';
import { FileTable } from './FileTable.tsx';
import { Icon } from './Icon.tsx';
import { ListBar } from './ListBar.tsx';
import { InlineError, ListError, ListMessage } from './ListState.tsx';

/** A folder's folders and files, or a search's matches: the list, what it says when empty, its bar. */
export function FilesView(props: {
  listing: Listing;
  selection: Selection;
  commands: FileCommands;
  /** Hidden, not gone, while another view shows: the list keeps its place. */
  hidden: boolean;
  onOpenFile: (file: FileNode) => void;
  onOpenFolder: (path: string) => void;
  onUpload: () => void;
  onReplace: (file: FileNode) => void;
  onShare: (file: FileNode) => void;
}): JSX.Element {
  const narrow = createMedia('(max-width: 640px)');
  const files = () => props.listing.files;
  const folders = () => props.listing.folders;
  const prefix = () => props.listing.prefix();
  const selectedFiles = () => props.selection.pick(props.listing.loaded());
  const allSelected = () =>
    files().loadedCount() > 0 && props.selection.ids().size >= files().loadedCount();

  const count = () => {
    const total = files().totalCount();
    const loaded = files().loadedCount();
    if (files().state() === 'loading' && loaded === 0) return 'Loading files…';
    if (files().state() === 'error' && loaded === 0) return 'Not loaded';
    if (props.listing.searching()) {
      const matches = total === null ? `${loaded}+ matches` : plural(total, 'match', 'matches');
      return `${matches} for “${props.listing.search()}”${prefix() ? ` in ${prefix()}` : ''}`;
    }
    const shown = total === null ? `${loaded}+ files` : plural(total, 'file');
    const folderCount = folders().list().length;
    return folderCount > 0 ? `${plural(folderCount, 'folder')} · ${shown}` : shown;
  };

  const isEmpty = () =>
    files().state() === 'ready' &&
    files().count() === 0 &&
    folders().list().length === 0 &&
    !folders().loading();

  const fileActions = {
    onOpen: (file: FileNode) => props.onOpenFile(file),
    onToggle: (file: FileNode, index: number, range: boolean) =>
      props.selection.toggle(file.id, {
        index,
        range,
        idAt: (row) => files().file(row - folders().list().length)?.id,
      }),
    onRenameStart: (file: FileNode) => props.listing.setRenamingId(file.id),
    onRenameDone: (file: FileNode, name: string | undefined) => {
      props.listing.setRenamingId(undefined);
      if (name !== undefined) props.commands.rename(file, name);
    },
    onReplace: (file: FileNode) => props.onReplace(file),
    onShare: (file: FileNode) => props.onShare(file),
    onDelete: (file: FileNode) => props.commands.askDelete([file]),
  };

  const folderActions = {
    onRenameStart: (folder: Folder) => props.listing.setRenamingFolder(folder.path),
    onRenameDone: (folder: Folder, name: string | undefined) => {
      props.listing.setRenamingFolder(undefined);
      if (name !== undefined) props.commands.renameFolder(folder, name);
    },
  };

  return (
    <main class="main" hidden={props.hidden}>
      <ListBar
        prefix={prefix()}
        hrefOf={folderHref}
        count={count()}
        selectedCount={props.selection.ids().size}
        recursive={props.listing.recursive()}
        searching={props.listing.searching()}
        onRecursive={(flat) => props.listing.setFlat(flat)}
        order={props.listing.order()}
        onOrder={(order) => props.listing.setOrder(order)}
        onDownloadSelected={() => props.commands.download(selectedFiles())}
        onDeleteSelected={() => props.commands.askDelete(selectedFiles())}
        onClearSelection={() => props.selection.clear()}
      />

      <Show when={files().state() === 'error' && files().loadedCount() > 0 && files().problem()}>
        {(problem) => (
          <InlineError onRetry={() => files().retry()}>
            More files could not be loaded: {problem().message}
          </InlineError>
        )}
      </Show>
      <Show when={folders().problem()}>
        {(problem) => (
          <InlineError onRetry={() => folders().refetch()}>
            Folders could not be loaded: {problem().message}
          </InlineError>
        )}
      </Show>

      <div class="list-area">
        <Switch
          fallback={
            <FileTable
              list={files()}
              folders={folders().list()}
              showFolderColumn={props.listing.recursive()}
              rowHeight={narrow() ? 60 : 44}
              order={props.listing.order()}
              onSort={(field) => props.listing.sortBy(field)}
              isSelected={(id) => props.selection.has(id)}
              allSelected={allSelected()}
              onSelectAll={(select) =>
                props.selection.set(select ? props.listing.loaded().map((file) => file.id) : [])
              }
              renamingId={props.listing.renamingId()}
              actions={fileActions}
              renamingFolder={props.listing.renamingFolder()}
              folderActions={folderActions}
              onOpenFolder={(path) => props.onOpenFolder(path)}
              onDeleteKey={(active) => {
                const chosen = selectedFiles();
                if (chosen.length > 0) props.commands.askDelete(chosen);
                else if (active) props.commands.askDelete([active]);
              }}
              label={
                props.listing.searching()
                  ? 'Search results'
                  : `Files in ${prefix() || 'the top folder'}`
              }
            />
          }
        >
          <Match
            when={files().state() === 'error' && files().loadedCount() === 0 && files().problem()}
          >
            {(problem) => (
              <ListError
                title="The files could not be loaded"
                problem={problem()}
                onRetry={() => files().retry()}
              >
                <Show when={problem().code === 'NETWORK' || problem().code === 'UNAVAILABLE'}>
                  <p class="muted">
                    The list comes back by itself once the server answers again; or try now.
                  </p>
                </Show>
              </ListError>
            )}
          </Match>
          <Match when={isEmpty() && props.listing.searching()}>
            <ListMessage icon="search" title={`No files match “${props.listing.search()}”`}>
              <p>
                Names are searched{' '}
                {prefix() ? `in ${prefix()} and its subfolders` : 'in every folder'}, ignoring case.
              </p>
              <button type="button" class="button" onClick={() => props.listing.clearSearch()}>
                Clear the search
              </button>
            </ListMessage>
          </Match>
          <Match when={isEmpty()}>
            <ListMessage icon="upload" title={prefix() ? 'This folder is empty' : 'No files yet'}>
              <p>Drop files anywhere on this page, or choose them to upload.</p>
              <button type="button" class="button primary" onClick={() => props.onUpload()}>
                <Icon name="upload" size={18} /> Upload files
              </button>
            </ListMessage>
          </Match>
        </Switch>
      </div>
    </main>
  );
}
