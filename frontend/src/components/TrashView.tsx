import { Show, type JSX } from 'solid-js';
import type { FileNode } from '../graphql/types.ts';
import { createTrashCommands } from '../trash/trashCommands.ts';
import type { TrashList } from '../trash/trashList.ts';
import { plural } from '../ui/format.ts';
import type { Notify } from '../ui/notices.ts';
import { createSelection } from '../ui/selection.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { Icon } from './Icon.tsx';
import { ListMessage, ListStates } from './ListState.tsx';
import { TrashTable } from './TrashTable.tsx';
import { ViewTitle } from './ViewTitle.tsx';

/** The trash: deleted files, to restore (one, some or all shown) or to purge all at once. */
export function TrashView(props: {
  trash: TrashList;
  filesHref: string;
  notify: Notify;
  onRestored: (files: readonly FileNode[]) => void;
}): JSX.Element {
  const selection = createSelection();
  const commands = createTrashCommands(() => props.trash, {
    selection,
    notify: (tone, message) => props.notify(tone, message),
    onRestored: (files) => props.onRestored(files),
  });
  const state = () => props.trash.state();
  const total = () => props.trash.totalCount() ?? props.trash.items().length;

  const count = () => {
    if (state() === 'loading') return 'Loading the trash…';
    if (state() === 'error') return 'Not loaded';
    return `${plural(total(), 'file')} in the trash`;
  };

  return (
    <main class="main trash-view">
      <div class="listbar">
        <ViewTitle icon="trash" title="Trash" />
        <div class="listbar-row">
          <p class="count" aria-live="polite" data-testid="trash-count">
            {count()}
          </p>
          <div class="listbar-actions">
            <Show when={selection.ids().size > 0}>
              <span class="selection-count">{selection.ids().size} selected</span>
              <button
                type="button"
                class="button"
                disabled={commands.busy()}
                onClick={() => commands.restore(selection.pick(props.trash.items()))}
              >
                <Icon name="retry" size={18} />
                <span>Restore</span>
              </button>
              <button type="button" class="button" onClick={() => selection.clear()}>
                Clear
              </button>
            </Show>
            <Show when={state() === 'ready'}>
              <button
                type="button"
                class="button danger"
                disabled={commands.busy()}
                onClick={() => commands.askEmpty()}
              >
                <Icon name="trash" size={18} />
                <span class="label-wide">Empty the trash</span>
              </button>
            </Show>
          </div>
        </div>
      </div>

      <Show when={commands.refusal()}>
        {(message) => (
          <div class="notice error inline" role="alert">
            <Icon name="alert" size={18} />
            <span>{message()}</span>
            <button
              type="button"
              class="icon-button"
              aria-label="Dismiss the message"
              onClick={() => commands.dismissRefusal()}
            >
              <Icon name="close" size={16} />
            </button>
          </div>
        )}
      </Show>
      <ListStates
        list={props.trash}
        icon="trash"
        loadingTitle="Loading the trash…"
        errorTitle="The trash could not be loaded"
        more="More of the trash"
        empty={
          <ListMessage icon="trash" title="The trash is empty">
            <p>Deleted files wait here until the trash is emptied or their time in it runs out.</p>
            <a class="button" href={props.filesHref}>
              Back to the files
            </a>
          </ListMessage>
        }
      >
        <TrashTable trash={props.trash} selection={selection} commands={commands} />
      </ListStates>

      <ConfirmDialog
        open={commands.confirmingEmpty()}
        title="Empty the trash?"
        message={`${plural(total(), 'file')} will be deleted for good, with their content. This cannot be undone.`}
        confirmLabel="Empty the trash"
        onCancel={() => commands.cancelEmpty()}
        onConfirm={() => commands.empty()}
      />
    </main>
  );
}
