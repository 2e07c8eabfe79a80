import {
  For,
  Match,
  Show,
  Switch,
  createEffect,
  createMemo,
  createSignal,
  on,
  onCleanup,
  onMount,
  type JSX,
} from 'solid-js';
import type { FileList } from '../files/fileList.ts';
import type { FileNode, FileOrder, FileOrderField, Folder } from '../graphql/types.ts';
import { FileRow, type FileRowActions } from './FileRow.tsx';
import { FolderRow, PlaceholderRow, type FolderRowActions } from './FolderRow.tsx';
import { Icon, type IconName } from './Icon.tsx';

export interface FileTableProps {
  list: FileList;
  folders: readonly Folder[];
  showFolderColumn: boolean;
  rowHeight: number;
  order: FileOrder;
  onSort: (field: FileOrderField) => void;
  isSelected: (id: string) => boolean;
  allSelected: boolean;
  onSelectAll: (select: boolean) => void;
  renamingId: string | undefined;
  actions: FileRowActions;
  /** The path of the folder being renamed. */
  renamingFolder: string | undefined;
  folderActions: FolderRowActions;
  onOpenFolder: (path: string) => void;
  /** Delete key: the selection, or the active file when nothing is selected. */
  onDeleteKey: (active: FileNode | undefined) => void;
  label: string;
}

/** Rows drawn beyond the visible ones, so fast scrolling shows no gaps. */
const overscan = 8;

const columns: Array<{ field: FileOrderField; label: string; class: string }> = [
  { field: 'SIZE', label: 'Size', class: 'cell-size' },
  { field: 'UPDATED_AT', label: 'Modified', class: 'cell-date' },
];

/**
 * The folder's folders and files as one virtual grid: only the rows in view
 * (plus a few) exist in the DOM, positioned by transform, so 100,000 files
 * scroll as smoothly as 100. Arrow keys, Page Up/Down, Home/End move; Enter
 * opens; Space selects; F2 renames; Delete deletes.
 */
export function FileTable(props: FileTableProps): JSX.Element {
  let scroller!: HTMLDivElement;
  const [scrollTop, setScrollTop] = createSignal(0);
  const [viewport, setViewport] = createSignal(600);
  const [active, setActive] = createSignal(0);

  const folderCount = () => props.folders.length;
  const count = () => folderCount() + props.list.count();
  const firstIndex = () => Math.max(0, Math.floor(scrollTop() / props.rowHeight) - overscan);
  const lastIndex = () =>
    Math.min(count() - 1, Math.ceil((scrollTop() + viewport()) / props.rowHeight) + overscan);
  const indexes = createMemo(() => {
    const list: number[] = [];
    for (let index = firstIndex(); index <= lastIndex(); index += 1) list.push(index);
    return list;
  });

  createEffect(() => props.list.ensure(Math.max(0, lastIndex() - folderCount())));
  // A new folder, search or order starts at the top; a reload stays where it is.
  createEffect(
    on(
      () => props.list.listing(),
      () => {
        setActive(0);
        scroller.scrollTop = 0;
        setScrollTop(0);
      },
      { defer: true },
    ),
  );
  createEffect(() => {
    if (active() >= count() && count() > 0) setActive(count() - 1);
  });

  onMount(() => {
    const observer = new ResizeObserver(() => setViewport(scroller.clientHeight));
    observer.observe(scroller);
    setViewport(scroller.clientHeight);
    onCleanup(() => observer.disconnect());
  });

  const fileAt = (index: number) => props.list.file(index - folderCount());

  function moveTo(index: number): void {
    const next = Math.max(0, Math.min(count() - 1, index));
    setActive(next);
    const top = next * props.rowHeight;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + props.rowHeight > scroller.scrollTop + scroller.clientHeight) {
      scroller.scrollTop = top + props.rowHeight - scroller.clientHeight;
    }
  }

  function onKeyDown(event: KeyboardEvent): void {
    if (event.target !== scroller) return;
    const page = Math.max(1, Math.floor(scroller.clientHeight / props.rowHeight) - 1);
    const index = active();
    const folder = index < folderCount() ? props.folders[index] : undefined;
    const file = folder ? undefined : fileAt(index);
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(index + 1),
      ArrowUp: () => moveTo(index - 1),
      PageDown: () => moveTo(index + page),
      PageUp: () => moveTo(index - page),
      Home: () => moveTo(0),
      End: () => moveTo(count() - 1),
      Enter: () => {
        if (folder) props.onOpenFolder(folder.path);
        else if (file) props.actions.onOpen(file);
      },
      ' ': () => file && props.actions.onToggle(file, index, event.shiftKey),
      F2: () => {
        if (folder) props.folderActions.onRenameStart(folder);
        else if (file) props.actions.onRenameStart(file);
      },
      Delete: () => props.onDeleteKey(file),
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    } else if (event.key === 'a' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      props.onSelectAll(!props.allSelected);
    }
  }

  const rowId = (index: number) => `row-${index}`;
  const sortIcon = (field: FileOrderField): IconName | undefined =>
    props.order.field === field ? (props.order.direction === 'ASC' ? 'up' : 'down') : undefined;
  const ariaSort = (field: FileOrderField) =>
    props.order.field === field
      ? props.order.direction === 'ASC'
        ? 'ascending'
        : 'descending'
      : 'none';

  return (
    <div class="file-table" classList={{ 'with-folder': props.showFolderColumn }}>
      <div class="row header-row" role="row" aria-rowindex={1}>
        <span role="columnheader" class="cell-check">
          <input
            type="checkbox"
            checked={props.allSelected}
            aria-label="Select all loaded files"
            onChange={(event) => props.onSelectAll(event.currentTarget.checked)}
          />
        </span>
        <span role="columnheader" class="cell-icon" />
        <span role="columnheader" class="cell-name" aria-sort={ariaSort('NAME')}>
          <button type="button" class="sort-button" onClick={() => props.onSort('NAME')}>
            Name
            <Show when={sortIcon('NAME')}>{(icon) => <Icon name={icon()} size={14} />}</Show>
          </button>
        </span>
        <Show when={props.showFolderColumn}>
          <span role="columnheader" class="cell-folder">
            Folder
          </span>
        </Show>
        <For each={columns}>
          {(column) => (
            <span role="columnheader" class={column.class} aria-sort={ariaSort(column.field)}>
              <button type="button" class="sort-button" onClick={() => props.onSort(column.field)}>
                {column.label}
                <Show when={sortIcon(column.field)}>
                  {(icon) => <Icon name={icon()} size={14} />}
                </Show>
              </button>
            </span>
          )}
        </For>
        <span role="columnheader" class="cell-actions">
          <span class="visually-hidden">Actions</span>
        </span>
      </div>
      <div
        ref={scroller}
        class="scroller"
        role="grid"
        tabIndex={0}
        aria-label={props.label}
        aria-rowcount={count() + 1}
        aria-activedescendant={count() > 0 ? rowId(active()) : undefined}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
      >
        <div
          class="rows"
          style={{
            height: `${count() * props.rowHeight}px`,
            '--row-height': `${props.rowHeight}px`,
          }}
        >
          <For each={indexes()}>
            {(index) => (
              <Switch fallback={<PlaceholderRow index={index} top={index * props.rowHeight} />}>
                <Match when={index < folderCount() && props.folders[index]}>
                  {(folder) => (
                    <FolderRow
                      id={rowId(index)}
                      folder={folder()}
                      index={index}
                      top={index * props.rowHeight}
                      active={active() === index}
                      renaming={props.renamingFolder === folder().path}
                      showFolder={props.showFolderColumn}
                      actions={props.folderActions}
                      onOpen={props.onOpenFolder}
                      onActivate={setActive}
                    />
                  )}
                </Match>
                <Match when={index >= folderCount() && fileAt(index)}>
                  {(file) => (
                    <FileRow
                      id={rowId(index)}
                      file={file()}
                      index={index}
                      top={index * props.rowHeight}
                      active={active() === index}
                      selected={props.isSelected(file().id)}
                      renaming={props.renamingId === file().id}
                      showFolder={props.showFolderColumn}
                      actions={props.actions}
                      onActivate={setActive}
                    />
                  )}
                </Match>
              </Switch>
            )}
          </For>
        </div>
      </div>
    </div>
  );
}
