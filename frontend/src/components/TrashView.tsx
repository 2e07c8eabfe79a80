import { For, Match, Show, Switch, createSignal, type JSX } from 'solid-js';
import { baseName, folderOf } from '../files/names.ts';
import type { FileNode } from '../graphql/types.ts';
import type { TrashList } from '../trash/trashList.ts';
import { plural } from '../ui/format.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { Icon } from './Icon.tsx';
import { ListMessage } from './ListState.tsx';
import type { Notice } from './Notices.tsx';
import { TrashRow } from './TrashRow.tsx';

/** The trash: deleted files, to restore (one, some or all shown) or to purge all at once. */
export function TrashView(props: {
  trash: TrashList;
  filesHref: string;
  notify: (tone: Notice['tone'], message: string) => void;
  onRestored: (files: readonly FileNode[]) => void;
}): JSX.Element {
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = createSignal(false);
  const [confirming, setConfirming] = createSignal(false);
  /** Why the last restore or emptying was refused; it stays until the next try. */
  const [refusal, setRefusal] = createSignal<string>();

  const files = () => props.trash.files();
  const total = () => props.trash.totalCount() ?? files().length;
  const selectedFiles = () => files().filter((file) => selected().has(file.id));
  const allSelected = () => files().length > 0 && selectedFiles().length === files().length;

  function toggle(file: FileNode): void {
    const next = new Set(selected());
    if (next.has(file.id)) next.delete(file.id);
    else next.add(file.id);
    setSelected(next);
  }

  async function restore(chosen: readonly FileNode[]): Promise<void> {
    if (busy() || chosen.length === 0) return;
    setBusy(true);
    setRefusal(undefined);
    const outcome = await props.trash.restore(chosen.map((file) => file.id));
    setBusy(false);
    if (!outcome.ok) {
      // A CONFLICT message names the file whose name is taken and says what to do.
      setRefusal(
        outcome.problem.code === 'CONFLICT'
          ? outcome.problem.message
          : `Nothing was restored: ${outcome.problem.message}`,
      );
      return;
    }
    const gone = new Set(chosen.map((file) => file.id));
    setSelected((ids) => new Set([...ids].filter((id) => !gone.has(id))));
    const [only] = outcome.value;
    props.notify(
      'success',
      outcome.value.length === 1 && only
        ? `Restored ${baseName(only.name)} to ${folderOf(only.name) || 'the top folder'}.`
        : `Restored ${plural(outcome.value.length, 'file')} to their folders.`,
    );
    props.onRestored(outcome.value);
  }

  async function empty(): Promise<void> {
    setConfirming(false);
    setBusy(true);
    setRefusal(undefined);
    const outcome = await props.trash.empty();
    setBusy(false);
    if (!outcome.ok) {
      setRefusal(`The trash was not emptied: ${outcome.problem.message}`);
      return;
    }
    setSelected(new Set<string>());
    props.notify(
      'success',
      `Emptied the trash: ${plural(outcome.value, 'file')} deleted for good.`,
    );
  }

  const count = () => {
    const state = props.trash.state();
    if (state === 'loading') return 'Loading the trash…';
    if (state === 'error') return 'Not loaded';
    return `${plural(total(), 'file')} in the trash`;
  };

  return (
    <main class="main trash-view">
      <div class="listbar">
        <h1 class="view-title">
          <Icon name="trash" size={20} />
          <span>Trash</span>
        </h1>
        <div class="listbar-row">
          <p class="count" aria-live="polite" data-testid="trash-count">
            {count()}
          </p>
          <div class="listbar-actions">
            <Show when={selected().size > 0}>
              <span class="selection-count">{selected().size} selected</span>
              <button
                type="button"
                class="button"
                disabled={busy()}
                onClick={() => void restore(selectedFiles())}
              >
                <Icon name="retry" size={18} />
                <span>Restore</span>
              </button>
              <button type="button" class="button" onClick={() => setSelected(new Set<string>())}>
                Clear
              </button>
            </Show>
            <Show when={props.trash.state() === 'ready'}>
              <button
                type="button"
                class="button danger"
                disabled={busy()}
                onClick={() => setConfirming(true)}
              >
                <Icon name="trash" size={18} />
                <span class="label-wide">Empty the trash</span>
              </button>
            </Show>
          </div>
        </div>
      </div>

      <Show when={refusal()}>
        {(message) => (
          <div class="notice error inline" role="alert">
            <Icon name="alert" size={18} />
            <span>{message()}</span>
            <button
              type="button"
              class="icon-button"
              aria-label="Dismiss the message"
              onClick={() => setRefusal(undefined)}
            >
              <Icon name="close" size={16} />
            </button>
          </div>
        )}
      </Show>
      <Show when={props.trash.state() === 'ready' && props.trash.problem()}>
        {(problem) => (
          <div class="notice error inline" role="alert">
            <Icon name="alert" size={18} />
            <span>More of the trash could not be loaded: {problem().message}</span>
            <button type="button" class="text-button" onClick={() => props.trash.loadMore()}>
              Try again
            </button>
          </div>
        )}
      </Show>

      <div class="list-area">
        <Switch>
          <Match when={props.trash.state() === 'loading'}>
            <ListMessage icon="trash" title="Loading the trash…" />
          </Match>
          <Match when={props.trash.state() === 'error' && props.trash.problem()}>
            {(problem) => (
              <ListMessage icon="alert" title="The trash could not be loaded" tone="error">
                <p>{problem().message}</p>
                <button type="button" class="button primary" onClick={() => props.trash.reload()}>
                  <Icon name="retry" size={18} /> Try again
                </button>
              </ListMessage>
            )}
          </Match>
          <Match when={props.trash.state() === 'empty'}>
            <ListMessage icon="trash" title="The trash is empty">
              <p>
                Deleted files wait here until the trash is emptied or their time in it runs out.
              </p>
              <a class="button" href={props.filesHref}>
                Back to the files
              </a>
            </ListMessage>
          </Match>
          <Match when={props.trash.state() === 'ready'}>
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
                          setSelected(
                            event.currentTarget.checked
                              ? new Set(files().map((file) => file.id))
                              : new Set<string>(),
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
                        selected={selected().has(file.id)}
                        busy={busy()}
                        onToggle={() => toggle(file)}
                        onRestore={() => void restore([file])}
                      />
                    )}
                  </For>
                </tbody>
              </table>
              <Show when={props.trash.hasMore()}>
                <div class="load-more">
                  <button
                    type="button"
                    class="button"
                    disabled={props.trash.loadingMore()}
                    onClick={() => props.trash.loadMore()}
                  >
                    {props.trash.loadingMore() ? 'Loading…' : 'Show more'}
                  </button>
                </div>
              </Show>
            </div>
          </Match>
        </Switch>
      </div>

      <ConfirmDialog
        open={confirming()}
        title="Empty the trash?"
        message={`${plural(total(), 'file')} will be deleted for good, with their content. This cannot be undone.`}
        confirmLabel="Empty the trash"
        onCancel={() => setConfirming(false)}
        onConfirm={() => void empty()}
      />
    </main>
  );
}
