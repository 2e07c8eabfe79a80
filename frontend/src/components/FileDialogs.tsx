import type { JSX } from 'solid-js';
import type { FileCommands } from '../files/fileCommands.ts';
import { baseName } from '../files/names.ts';
import { plural } from '../ui/format.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';

/** The questions file commands ask first: delete these? replace the file of that name? */
export function FileDialogs(props: { commands: FileCommands }): JSX.Element {
  const deleting = () => props.commands.pendingDelete() ?? [];
  const overwrite = () => props.commands.pendingOverwrite();
  return (
    <>
      <ConfirmDialog
        open={Boolean(props.commands.pendingDelete())}
        title={
          deleting().length === 1
            ? `Delete ${baseName(deleting()[0]?.name ?? '')}?`
            : `Delete ${plural(deleting().length, 'file')}?`
        }
        message={
          deleting().length === 1
            ? 'It goes to the trash, where it can be restored.'
            : 'They go to the trash, where they can be restored.'
        }
        confirmLabel="Delete"
        onCancel={() => props.commands.cancelDelete()}
        onConfirm={() => props.commands.confirmDelete()}
      />
      <ConfirmDialog
        open={Boolean(overwrite())}
        title="Replace the existing file?"
        message={`A file named ${overwrite()?.name ?? ''} already exists here. Renaming replaces it; that file goes to the trash.`}
        confirmLabel="Replace it"
        onCancel={() => props.commands.cancelOverwrite()}
        onConfirm={() => props.commands.confirmOverwrite()}
      />
    </>
  );
}
