import { Show, createSignal, type JSX } from 'solid-js';
import { kindOf, versionedUrl, type FileKind } from '../files/names.ts';
import type { FileNode } from '../graphql/types.ts';
import { Icon, type IconName } from './Icon.tsx';

const icons: Record<FileKind, IconName> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  pdf: 'pdf',
  text: 'text',
  archive: 'archive',
  other: 'file',
};

/** Images small enough to load whole as their own thumbnail (there is no thumbnail API). */
const thumbnailLimit = 8_000_000;

/** A file's type icon, or the image itself for small images. */
export function FileIcon(props: { file: FileNode }): JSX.Element {
  const [broken, setBroken] = createSignal(false);
  const kind = () => kindOf(props.file);
  // A file in the trash has no download, so no thumbnail either.
  const thumbnail = () =>
    kind() === 'image' &&
    props.file.size > 0 &&
    props.file.size <= thumbnailLimit &&
    !props.file.deletedAt &&
    !broken();
  return (
    <span class={`file-icon kind-${kind()}`}>
      <Show when={thumbnail()} fallback={<Icon name={icons[kind()]} />}>
        <img
          src={versionedUrl(props.file)}
          alt=""
          loading="lazy"
          decoding="async"
          width="28"
          height="28"
          onError={() => setBroken(true)}
        />
      </Show>
    </span>
  );
}
