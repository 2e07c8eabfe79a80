import { createSignal, type Accessor } from 'solid-js';
import { baseName, folderOf } from '../files/names.ts';
import type { FileNode } from '../graphql/types.ts';
import { plural } from '../ui/format.ts';
import type { Notify } from '../ui/notices.ts';
import type { Selection } from '../ui/selection.ts';
import type { TrashList } from './trashList.ts';

/** What can be done in the trash: restore files, or empty it after a confirmation. */
export interface TrashCommands {
  /** A restore or an emptying is under way. */
  readonly busy: Accessor<boolean>;
  /** Why the last restore or emptying was refused; it stays until the next try or dismissal. */
  readonly refusal: Accessor<string | undefined>;
  dismissRefusal(): void;
  restore(files: readonly FileNode[]): void;
  readonly confirmingEmpty: Accessor<boolean>;
  askEmpty(): void;
  cancelEmpty(): void;
  empty(): void;
}

export function createTrashCommands(
  trash: Accessor<TrashList>,
  deps: { selection: Selection; notify: Notify; onRestored: (files: readonly FileNode[]) => void },
): TrashCommands {
  const { selection, notify } = deps;
  const [busy, setBusy] = createSignal(false);
  const [refusal, setRefusal] = createSignal<string>();
  const [confirmingEmpty, setConfirmingEmpty] = createSignal(false);

  async function restore(chosen: readonly FileNode[]): Promise<void> {
    if (busy() || chosen.length === 0) return;
    setBusy(true);
    setRefusal(undefined);
    const outcome = await trash().restore(chosen.map((file) => file.id));
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
    selection.forget(chosen.map((file) => file.id));
    const [only] = outcome.value;
    notify(
      'success',
      outcome.value.length === 1 && only
        ? `Restored ${baseName(only.name)} to ${folderOf(only.name) || 'the top folder'}.`
        : `Restored ${plural(outcome.value.length, 'file')} to their folders.`,
    );
    deps.onRestored(outcome.value);
  }

  async function empty(): Promise<void> {
    setConfirmingEmpty(false);
    setBusy(true);
    setRefusal(undefined);
    const outcome = await trash().empty();
    setBusy(false);
    if (!outcome.ok) {
      setRefusal(`The trash was not emptied: ${outcome.problem.message}`);
      return;
    }
    selection.clear();
    notify('success', `Emptied the trash: ${plural(outcome.value, 'file')} deleted for good.`);
  }

  return {
    busy,
    refusal,
    dismissRefusal: () => setRefusal(undefined),
    restore: (files) => void restore(files),
    confirmingEmpty,
    askEmpty: () => setConfirmingEmpty(true),
    cancelEmpty: () => setConfirmingEmpty(false),
    empty: () => void empty(),
  };
}
