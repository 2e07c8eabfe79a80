import { For, type JSX } from 'solid-js';
import type { TrashCommands } from '../trash/trashCommands.ts';
import type { TrashList } from '../trash/trashList.ts';
import type { Selection } from '../ui/selection.ts';
import { LoadMore } from './ListState.tsx';
import { TrashRow } from './TrashRow.tsx';

/** The files in the trash, a page at a time, each to select or restore. */
export function TrashTable(props: {
  trash: TrashList;
  selection: Selection;
  commands: TrashCommands;
}): JSX.Element {
  const files = () => props.trash.items();
  const allSelected = () =>
    files().length > 0 && props.selection.pick(files()).length === files().length;
  return (
    <div class="trash-scroller">
      <table class="trash-table" aria-label="Files in the trash">
        <thead>
          <tr>
            <th class="cell-check">
              <input
                type="checkbox"
                checked={allSelected()}
                aria-label="Select all files shown"
                onChange={(event) =>
                  props.selection.set(
                    event.currentTarget.checked ? files().map((file) => file.id) : [],
                  )
                }
              />
            </th>
            <th class="cell-icon" />
            <th class="cell-name">Name</th>
            <th class="cell-folder">Folder</th>
            <th class="cell-size">Size</th>
            <th class="cell-date">Deleted</th>
            <th class="cell-restore">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={files()}>
            {(file) => (
              <TrashRow
                file={file}
                selected={props.selection.has(file.id)}
                busy={props.commands.busy()}
                onToggle={() => props.selection.toggle(file.id)}
                onRestore={() => props.commands.restore([file])}
              />
            )}
          </For>
        </tbody>
      </table>
      <LoadMore list={props.trash} />
    </div>
  );
}
