import { Show, type JSX } from 'solid-js';
import { baseName, downloadUrl, folderOf } from '../files/names.ts';
import type { FileNode } from '../graphql/types.ts';
import { formatDate, formatFullDate, formatSize } from '../ui/format.ts';
import { FileIcon } from './FileIcon.tsx';
import { Icon } from './Icon.tsx';
import { RenameField } from './RenameField.tsx';

export interface FileRowActions {
  onOpen: (file: FileNode) => void;
  onToggle: (file: FileNode, index: number, range: boolean) => void;
  onRenameStart: (file: FileNode) => void;
  onRenameDone: (file: FileNode, name: string | undefined) => void;
  onReplace: (file: FileNode) => void;
  onShare: (file: FileNode) => void;
  onDelete: (file: FileNode) => void;
}

/** One file in the list: what it is, where, how big, when changed, and what can be done with it. */
export function FileRow(props: {
  id: string;
  file: FileNode;
  index: number;
  top: number;
  active: boolean;
  selected: boolean;
  renaming: boolean;
  showFolder: boolean;
  actions: FileRowActions;
  onActivate: (index: number) => void;
}): JSX.Element {
  const tab = () => (props.active ? 0 : -1);
  const name = () => baseName(props.file.name);
  return (
    <div
      id={props.id}
      role="row"
      aria-rowindex={props.index + 2}
      aria-selected={props.selected}
      class="row file-row"
      classList={{ active: props.active, selected: props.selected }}
      style={{ transform: `translateY(${props.top}px)` }}
      onClick={() => props.onActivate(props.index)}
    >
      <span role="gridcell" class="cell-check">
        <input
          type="checkbox"
          tabIndex={-1}
          checked={props.selected}
          aria-label={`Select ${name()}`}
          onClick={(event) => {
            event.stopPropagation();
            props.actions.onToggle(props.file, props.index, event.shiftKey);
          }}
        />
      </span>
      <span role="gridcell" class="cell-icon">
        <FileIcon file={props.file} />
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
                title={props.file.name}
                onClick={(event) => {
                  event.stopPropagation();
                  props.onActivate(props.index);
                  props.actions.onOpen(props.file);
                }}
              >
                {name()}
              </button>
              <span class="row-details">
                <Show when={props.showFolder && folderOf(props.file.name)}>
                  {(folder) => <span class="detail-folder">{folder()}</span>}
                </Show>
                <span>{formatSize(props.file.size)}</span>
                <span>{formatDate(props.file.updatedAt)}</span>
              </span>
            </>
          }
        >
          <RenameField
            value={name()}
            label={`New name for ${name()}`}
            onDone={(value) => props.actions.onRenameDone(props.file, value)}
          />
        </Show>
      </span>
      <Show when={props.showFolder}>
        <span role="gridcell" class="cell-folder" title={folderOf(props.file.name) || '/'}>
          {folderOf(props.file.name) || '/'}
        </span>
      </Show>
      <span role="gridcell" class="cell-size">
        {formatSize(props.file.size)}
      </span>
      <span role="gridcell" class="cell-date" title={formatFullDate(props.file.updatedAt)}>
        {formatDate(props.file.updatedAt)}
      </span>
      <span role="gridcell" class="cell-actions">
        <a
          class="icon-button"
          href={downloadUrl(props.file.url)}
          download={name()}
          tabIndex={tab()}
          title="Download"
          aria-label={`Download ${name()}`}
          onClick={(event) => event.stopPropagation()}
        >
          <Icon name="download" />
        </a>
        <button
          type="button"
          class="icon-button"
          tabIndex={tab()}
          title="Rename (F2)"
          aria-label={`Rename ${name()}`}
          onClick={(event) => {
            event.stopPropagation();
            props.actions.onRenameStart(props.file);
          }}
        >
          <Icon name="rename" />
        </button>
        <button
          type="button"
          class="icon-button"
          tabIndex={tab()}
          title="Replace content"
          aria-label={`Replace the content of ${name()}`}
          onClick={(event) => {
            event.stopPropagation();
            props.actions.onReplace(props.file);
          }}
        >
          <Icon name="replace" />
        </button>
        <button
          type="button"
          class="icon-button"
          tabIndex={tab()}
          title="Share a link"
          aria-label={`Share ${name()}`}
          onClick={(event) => {
            event.stopPropagation();
            props.actions.onShare(props.file);
          }}
        >
          <Icon name="share" />
        </button>
        <button
          type="button"
          class="icon-button danger"
          tabIndex={tab()}
          title="Delete (Del)"
          aria-label={`Delete ${name()}`}
          onClick={(event) => {
            event.stopPropagation();
            props.actions.onDelete(props.file);
          }}
        >
          <Icon name="trash" />
        </button>
      </span>
    </div>
  );
}
