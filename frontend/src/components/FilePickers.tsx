import { onMount, type JSX } from 'solid-js';
import type { FileNode } from '../graphql/types.ts';
import { filesFromInput, type PickedFile } from '../uploads/pickedFiles.ts';

/** Opens the browser's file choosers; the buttons that do so live elsewhere. */
export interface FilePickerControls {
  pickFiles(): void;
  pickFolder(): void;
  /** Chooses new content for `target`. */
  pickReplacement(target: FileNode): void;
}

/** The hidden file inputs behind Upload, Folder and Replace. */
export function FilePickers(props: {
  ref: (controls: FilePickerControls) => void;
  onPicked: (files: PickedFile[]) => void;
  onReplacement: (target: FileNode, file: File) => void;
}): JSX.Element {
  let filePicker!: HTMLInputElement;
  let folderPicker!: HTMLInputElement;
  let replacePicker!: HTMLInputElement;
  let replaceTarget: FileNode | undefined;

  const onPicked = (input: HTMLInputElement) => {
    props.onPicked(filesFromInput(input.files));
    input.value = '';
  };

  onMount(() =>
    props.ref({
      pickFiles: () => filePicker.click(),
      pickFolder: () => folderPicker.click(),
      pickReplacement(target) {
        replaceTarget = target;
        replacePicker.click();
      },
    }),
  );

  return (
    <>
      <input
        ref={filePicker}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(event) => onPicked(event.currentTarget)}
      />
      <input
        ref={(element) => {
          folderPicker = element;
          // Not a standard attribute: set as a property so JSX typing stays honest.
          element.webkitdirectory = true;
        }}
        type="file"
        multiple
        hidden
        data-testid="folder-input"
        onChange={(event) => onPicked(event.currentTarget)}
      />
      <input
        ref={replacePicker}
        type="file"
        hidden
        data-testid="replace-input"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          if (file && replaceTarget) props.onReplacement(replaceTarget, file);
          event.currentTarget.value = '';
        }}
      />
    </>
  );
}
