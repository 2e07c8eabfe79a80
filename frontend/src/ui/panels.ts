import { batch, createSignal, type Accessor } from 'solid-js';
import type { FileNode } from '../graphql/types.ts';

/** The side panels beside the list: one file's preview, or the system's state. One at a time. */
export interface Panels {
  readonly preview: Accessor<FileNode | undefined>;
  readonly systemOpen: Accessor<boolean>;
  /** A panel shows: the list makes room for it. */
  readonly open: Accessor<boolean>;
  openPreview(file: FileNode): void;
  closePreview(): void;
  /** The file with `id` changed (renamed, replaced) or left (undefined): a preview of it follows. */
  followPreview(id: string, file: FileNode | undefined): void;
  toggleSystem(): void;
  /** Closes both and puts the keyboard back on the list. */
  close(): void;
}

export function createPanels(): Panels {
  const [preview, setPreview] = createSignal<FileNode>();
  const [systemOpen, setSystemOpen] = createSignal(false);
  return {
    preview,
    systemOpen,
    open: () => Boolean(preview() || systemOpen()),
    openPreview(file) {
      setSystemOpen(false);
      setPreview(file);
    },
    closePreview: () => setPreview(undefined),
    followPreview(id, file) {
      if (preview()?.id === id) setPreview(file);
    },
    toggleSystem() {
      setPreview(undefined);
      setSystemOpen(!systemOpen());
    },
    close() {
      batch(() => {
        setPreview(undefined);
        setSystemOpen(false);
      });
      document.querySelector<HTMLElement>('.scroller')?.focus();
    },
  };
}
