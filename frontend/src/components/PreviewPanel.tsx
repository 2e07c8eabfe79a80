import { Match, Show, Switch, createResource, onMount, type JSX } from 'solid-js';
import {
  baseName,
  canPreview,
  downloadUrl,
  folderOf,
  kindOf,
  versionedUrl,
} from '../files/names.ts';
import { loadTextPreview } from '../files/textPreview.ts';
import type { FileNode } from '../graphql/types.ts';
import { formatFullDate, formatSize } from '../ui/format.ts';
import { Icon } from './Icon.tsx';

/** One file shown large (image, video, audio, PDF, text) with its details and actions. */
export function PreviewPanel(props: {
  file: FileNode;
  onClose: () => void;
  onRename: (file: FileNode) => void;
  onReplace: (file: FileNode) => void;
  onShare: (file: FileNode) => void;
  onDelete: (file: FileNode) => void;
}): JSX.Element {
  let close!: HTMLButtonElement;
  const kind = () => kindOf(props.file);
  const src = () => versionedUrl(props.file);
  const [text] = createResource(
    () => (kind() === 'text' ? props.file : undefined),
    (file) => loadTextPreview(versionedUrl(file), file.size),
  );
  onMount(() => close.focus());
  return (
    <aside
      class="side-panel preview-panel"
      aria-label={`Preview of ${baseName(props.file.name)}`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          props.onClose();
        }
      }}
    >
      <header class="panel-header">
        <h2 class="panel-title" title={props.file.name}>
          {baseName(props.file.name)}
        </h2>
        <button
          ref={close}
          type="button"
          class="icon-button"
          aria-label="Close the preview"
          title="Close (Esc)"
          onClick={() => props.onClose()}
        >
          <Icon name="close" />
        </button>
      </header>
      <div class="preview-stage">
        <Switch
          fallback={
            <div class="preview-none">
              <Icon name="file" size={48} />
              <p>
                {props.file.size === 0
                  ? 'This file is empty (0 bytes).'
                  : 'No preview for this type of file. Download it to open it.'}
              </p>
            </div>
          }
        >
          <Match when={props.file.size > 0 && kind() === 'image'}>
            <img class="preview-image" src={src()} alt={baseName(props.file.name)} />
          </Match>
          <Match when={props.file.size > 0 && kind() === 'video'}>
            <video class="preview-media" src={src()} controls preload="metadata" />
          </Match>
          <Match when={props.file.size > 0 && kind() === 'audio'}>
            <audio class="preview-audio" src={src()} controls preload="metadata" />
          </Match>
          <Match when={props.file.size > 0 && kind() === 'pdf'}>
            <iframe class="preview-frame" src={src()} title={`PDF ${baseName(props.file.name)}`} />
          </Match>
          <Match when={props.file.size > 0 && kind() === 'text'}>
            <Switch>
              <Match when={text.loading}>
                <p class="preview-note">Loading…</p>
              </Match>
              <Match when={text.error as unknown}>
                {(error) => (
                  <p class="preview-note error" role="alert">
                    {error() instanceof Error ? (error() as Error).message : String(error())}
                  </p>
                )}
              </Match>
              <Match when={text()}>
                {(preview) => (
                  <>
                    <pre class="preview-text">{preview().text}</pre>
                    <Show when={preview().truncated}>
                      <p class="preview-note">
                        Showing the first 256 kB. Download the file to see all of it.
                      </p>
                    </Show>
                  </>
                )}
              </Match>
            </Switch>
          </Match>
        </Switch>
      </div>
      <dl class="details">
        <dt>Folder</dt>
        <dd>{folderOf(props.file.name) || '/'}</dd>
        <dt>Size</dt>
        <dd>
          {formatSize(props.file.size)}
          <Show when={props.file.size >= 1000}> ({props.file.size.toLocaleString()} bytes)</Show>
        </dd>
        <dt>Type</dt>
        <dd>{props.file.contentType}</dd>
        <dt>Modified</dt>
        <dd>{formatFullDate(props.file.updatedAt)}</dd>
        <dt>Created</dt>
        <dd>{formatFullDate(props.file.createdAt)}</dd>
        <dt>Checksum</dt>
        <dd class="mono" title={props.file.checksum}>
          {props.file.checksum}
        </dd>
      </dl>
      <div class="panel-actions">
        <a
          class="button primary"
          href={downloadUrl(props.file.url)}
          download={baseName(props.file.name)}
        >
          <Icon name="download" size={18} /> Download
        </a>
        <Show when={canPreview(kind())}>
          <a class="button" href={src()} target="_blank" rel="noopener">
            <Icon name="external" size={18} /> Open
          </a>
        </Show>
        <button type="button" class="button" onClick={() => props.onRename(props.file)}>
          <Icon name="rename" size={18} /> Rename
        </button>
        <button type="button" class="button" onClick={() => props.onReplace(props.file)}>
          <Icon name="replace" size={18} /> Replace
        </button>
        <button type="button" class="button" onClick={() => props.onShare(props.file)}>
          <Icon name="share" size={18} /> Share
        </button>
        <button type="button" class="button danger" onClick={() => props.onDelete(props.file)}>
          <Icon name="trash" size={18} /> Delete
        </button>
      </div>
    </aside>
  );
}
