import { createSignal, type Accessor } from 'solid-js';
import type { Client } from '@urql/core';
import type { FileNode, Folder } from '../graphql/types.ts';
import { restoreFiles } from '../trash/trashActions.ts';
import { plural } from '../ui/format.ts';
import type { Notify } from '../ui/notices.ts';
import type { Panels } from '../ui/panels.ts';
import type { Selection } from '../ui/selection.ts';
import { deleteFiles, moveFolder, renameFile } from './fileActions.ts';
import type { Listing } from './listing.ts';
import { baseName, downloadUrl, folderOf, renamedFolder } from './names.ts';

/** A rename that would replace a file of the same name, waiting for a yes. */
export interface PendingOverwrite {
  readonly file: FileNode;
  readonly name: string;
}

/**
 * What can be done to files and folders from the files view and the preview: each
 * command calls the API, patches the list, and says what happened in a notice.
 * A delete, and a rename onto a taken name, wait for a confirmation first.
 */
export interface FileCommands {
  readonly pendingDelete: Accessor<readonly FileNode[] | undefined>;
  askDelete(files: readonly FileNode[]): void;
  confirmDelete(): void;
  cancelDelete(): void;
  /** A new name in the file's folder; a "/" in it moves the file deeper. */
  rename(file: FileNode, name: string): void;
  readonly pendingOverwrite: Accessor<PendingOverwrite | undefined>;
  confirmOverwrite(): void;
  cancelOverwrite(): void;
  /** A folder's new name may hold "/" to move it deeper, as a file's may. */
  renameFolder(folder: Folder, name: string): void;
  download(files: readonly FileNode[]): void;
}

export function createFileCommands(
  client: Client,
  deps: { listing: Listing; selection: Selection; panels: Panels; notify: Notify },
): FileCommands {
  const { listing, selection, panels, notify } = deps;
  const [pendingDelete, setPendingDelete] = createSignal<readonly FileNode[]>();
  const [pendingOverwrite, setPendingOverwrite] = createSignal<PendingOverwrite>();

  async function rename(file: FileNode, name: string, overwrite: boolean): Promise<void> {
    const outcome = await renameFile(client, file.id, folderOf(file.name) + name.trim(), overwrite);
    if (outcome.ok) {
      const renamed = outcome.value;
      const movedAway = !listing.recursive() && folderOf(renamed.name) !== listing.prefix();
      if (movedAway) {
        listing.files.remove([file.id]);
        listing.folders.refetch();
        const to = folderOf(renamed.name) || 'the top folder';
        notify('success', `Moved ${baseName(file.name)} to ${to}.`);
      } else {
        listing.files.update(file.id, renamed);
        notify('success', `Renamed to ${baseName(renamed.name)}.`);
      }
      panels.followPreview(file.id, renamed);
      return;
    }
    const { problem } = outcome;
    if (problem.code === 'CONFLICT' && !overwrite) setPendingOverwrite({ file, name });
    else if (problem.code === 'NOT_FOUND') {
      listing.files.remove([file.id]);
      panels.followPreview(file.id, undefined);
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
    const gone = [...deleted, ...alreadyGone];
    listing.files.remove(gone);
    selection.forget(gone);
    for (const id of gone) panels.followPreview(id, undefined);
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
    listing.folders.refetch();
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
    listing.reload();
  }

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
    listing.reload();
  }

  return {
    pendingDelete,
    askDelete: (files) => setPendingDelete(files),
    confirmDelete() {
      const files = pendingDelete() ?? [];
      setPendingDelete(undefined);
      void remove(files);
    },
    cancelDelete: () => setPendingDelete(undefined),
    rename: (file, name) => void rename(file, name, false),
    pendingOverwrite,
    confirmOverwrite() {
      const pending = pendingOverwrite();
      setPendingOverwrite(undefined);
      if (pending) void rename(pending.file, pending.name, true);
    },
    cancelOverwrite: () => setPendingOverwrite(undefined),
    renameFolder: (folder, name) => void renameFolder(folder, name),
    download(files) {
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
    },
  };
}
