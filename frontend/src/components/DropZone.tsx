import { Show, createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import { filesFromDrop, type PickedFile } from '../uploads/pickedFiles.ts';
import { Icon } from './Icon.tsx';

/**
 * The whole page takes dropped files and folders: an overlay says where they go while
 * files are dragged over it. Drags of anything else (text, links) are left alone.
 */
export function DropZone(props: {
  /** Where dropped files go ("" for the top folder). */
  folder: string;
  /** The files, with the folder as it was when they were dropped. */
  onFiles: (files: PickedFile[], folder: string) => void;
  onError: (message: string) => void;
}): JSX.Element {
  const [dragging, setDragging] = createSignal(false);
  /** dragenter and dragleave come for every element crossed: count them to know when it left. */
  let depth = 0;
  const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

  const onDragEnter = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth += 1;
    setDragging(true);
  };
  const onDragOver = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };
  const onDragLeave = () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) setDragging(false);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    depth = 0;
    setDragging(false);
    if (!event.dataTransfer) return;
    // They go where the page was at the drop, even if it moves on while folders are read.
    const folder = props.folder;
    const onFiles = props.onFiles;
    const onError = props.onError;
    filesFromDrop(event.dataTransfer).then(
      (files) => onFiles(files, folder),
      () => onError('The dropped files could not be read. Try the Upload button instead.'),
    );
  };

  onMount(() => {
    window.addEventListener('dragenter', onDragEnter);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
  });
  onCleanup(() => {
    window.removeEventListener('dragenter', onDragEnter);
    window.removeEventListener('dragover', onDragOver);
    window.removeEventListener('dragleave', onDragLeave);
    window.removeEventListener('drop', onDrop);
  });

  return (
    <Show when={dragging()}>
      <div class="drop-overlay" aria-hidden="true">
        <div class="drop-target">
          <Icon name="upload" size={48} />
          <p>Drop to upload to {props.folder || 'the top folder'}</p>
        </div>
      </div>
    </Show>
  );
}
