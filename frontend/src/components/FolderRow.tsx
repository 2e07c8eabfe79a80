import { Show, type JSX } from 'solid-js';
import type { Folder } from '../graphql/types.ts';
import { Icon } from './Icon.tsx';
import { RenameField } from './RenameField.tsx';

export interface FolderRowActions {
  onRenameStart: (folder: Folder) => void;
  /** The new name (it may hold "/" to move the folder deeper), or undefined when left as it was. */
  onRenameDone: (folder: Folder, name: string | undefined) => void;
}

/** A subfolder of the current folder; opening it lists what is inside; it can be renamed or moved. */
export function FolderRow(props: {
  id: string;
  folder: Folder;
  index: number;
  top: number;
  active: boolean;
  renaming: boolean;
  showFolder: boolean;
  actions: FolderRowActions;
  onOpen: (path: string) => void;
  onActivate: (index: number) => void;
}): JSX.Element {
  const tab = () => (props.active ? 0 : -1);
  return (
    <div
      id={props.id}
      role="row"
      aria-rowindex={props.index + 2}
      class="row folder-row"
      classList={{ active: props.active }}
      style={{ transform: `translateY(${props.top}px)` }}
      onClick={() => props.onActivate(props.index)}
    >
      <span role="gridcell" class="cell-check" />
      <span role="gridcell" class="cell-icon">
        <span class="file-icon kind-folder">
          <Icon name="folder" />
        </span>
      </span>
      <span role="gridcell" class="cell-name">
        <Show
          when={props.renaming}
          fallback={
            <>
              <button
                type="button"
                class="name-button"
                tabIndex={tab()}
                onClick={(event) => {
                  event.stopPropagation();
                  props.onOpen(props.folder.path);
                }}
              >
                {props.folder.name}
              </button>
              <span class="row-details">
                <span>Folder</span>
              </span>
            </>
          }
        >
          <RenameField
            value={props.folder.name}
            label={`New name for the folder ${props.folder.name}`}
            onDone={(value) => props.actions.onRenameDone(props.folder, value)}
          />
        </Show>
      </span>
      {props.showFolder ? <span role="gridcell" class="cell-folder" /> : null}
      <span role="gridcell" class="cell-size">
        —
      </span>
      <span role="gridcell" class="cell-date" />
      <span role="gridcell" class="cell-actions">
        <button
          type="button"
          class="icon-button"
          tabIndex={tab()}
          title="Rename or move (F2)"
          aria-label={`Rename or move the folder ${props.folder.name}`}
          onClick={(event) => {
            event.stopPropagation();
            props.actions.onRenameStart(props.folder);
          }}
        >
          <Icon name="rename" />
        </button>
      </span>
    </div>
  );
}

/** A row whose file is still on its way (virtual list, page not loaded yet). */
export function PlaceholderRow(props: { index: number; top: number }): JSX.Element {
  return (
    <div
      role="row"
      aria-rowindex={props.index + 2}
      aria-busy="true"
      class="row placeholder-row"
      style={{ transform: `translateY(${props.top}px)` }}
    >
      <span role="gridcell" class="cell-check" />
      <span role="gridcell" class="cell-icon">
        <span class="skeleton skeleton-icon" />
      </span>
      <span role="gridcell" class="cell-name">
        <span
          class="skeleton skeleton-text"
          style={{ width: `${40 + ((props.index * 37) % 45)}%` }}
        />
      </span>
    </div>
  );
}
