import type { JSX } from 'solid-js';
import { baseName, folderOf } from '../files/names.ts';
import type { FileNode } from '../graphql/types.ts';
import { formatDate, formatFullDate, formatSize } from '../ui/format.ts';
import { FileIcon } from './FileIcon.tsx';

/** One file in the trash: what it was, where it was, how big, when it was deleted. */
export function TrashRow(props: {
  file: FileNode;
  selected: boolean;
  busy: boolean;
  onToggle: () => void;
  onRestore: () => void;
}): JSX.Element {
  const name = () => baseName(props.file.name);
  const deletedAt = () => props.file.deletedAt ?? '';
  return (
    <tr class="trash-row" classList={{ selected: props.selected }} aria-selected={props.selected}>
      <td class="cell-check">
        <input
          type="checkbox"
          checked={props.selected}
          aria-label={`Select ${name()}`}
          onChange={() => props.onToggle()}
        />
      </td>
      <td class="cell-icon">
        <FileIcon file={props.file} />
      </td>
      <td class="cell-name">
        <span class="trash-name" title={props.file.name}>
          {name()}
        </span>
        <span class="row-details">
          <span class="detail-folder">{folderOf(props.file.name) || '/'}</span>
          <span>{formatSize(props.file.size)}</span>
        </span>
      </td>
      <td class="cell-folder" title={folderOf(props.file.name) || '/'}>
        {folderOf(props.file.name) || '/'}
      </td>
      <td class="cell-size">{formatSize(props.file.size)}</td>
      <td class="cell-date" title={formatFullDate(deletedAt())}>
        {formatDate(deletedAt())}
      </td>
      <td class="cell-restore">
        <button
          type="button"
          class="text-button"
          disabled={props.busy}
          aria-label={`Restore ${name()}`}
          onClick={() => props.onRestore()}
        >
          Restore
        </button>
      </td>
    </tr>
  );
}
