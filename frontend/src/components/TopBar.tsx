import type { JSX } from 'solid-js';
import { Icon } from './Icon.tsx';
import { SearchBox } from './SearchBox.tsx';

/** The bar on top: home, search, upload, the trash, the system panel and the playground. */
export function TopBar(props: {
  homeHref: string;
  searchText: string;
  searchRef: (element: HTMLInputElement) => void;
  onSearchInput: (value: string) => void;
  onSearchClear: () => void;
  onUpload: () => void;
  onUploadFolder: () => void;
  trashHref: string;
  trashOpen: boolean;
  systemOpen: boolean;
  onToggleSystem: () => void;
}): JSX.Element {
  return (
    <header class="topbar">
      <a class="brand" href={props.homeHref} aria-label="filegraph, all files">
        <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
          <rect x="3" y="6" width="26" height="20" rx="4" class="brand-back" />
          <circle cx="11" cy="16" r="3" class="brand-dot" />
          <circle cx="21" cy="11" r="2.4" class="brand-dot" />
          <circle cx="21" cy="21" r="2.4" class="brand-dot" />
          <path d="M13.6 14.8l5.2-2.6M13.6 17.2l5.2 2.6" class="brand-line" />
        </svg>
        <span>filegraph</span>
      </a>
      <SearchBox
        ref={(element) => props.searchRef(element)}
        value={props.searchText}
        onInput={(value) => props.onSearchInput(value)}
        onClear={() => props.onSearchClear()}
      />
      <div class="topbar-actions">
        <button type="button" class="button primary" onClick={() => props.onUpload()}>
          <Icon name="upload" size={18} />
          <span>Upload</span>
        </button>
        <button
          type="button"
          class="button"
          title="Upload a folder"
          onClick={() => props.onUploadFolder()}
        >
          <Icon name="folder" size={18} />
          <span class="label-wide">Folder</span>
        </button>
        <a
          class="button"
          href={props.trashHref}
          title="Deleted files: restore them or empty the trash"
          aria-current={props.trashOpen ? 'page' : undefined}
        >
          <Icon name="trash" size={18} />
          <span class="label-wide">Trash</span>
        </a>
        <button
          type="button"
          class="button"
          aria-pressed={props.systemOpen}
          onClick={() => props.onToggleSystem()}
        >
          <Icon name="server" size={18} />
          <span class="label-wide">System</span>
        </button>
        <a class="button" href="/playground/" title="GraphQL playground: try the API">
          <Icon name="code" size={18} />
          <span class="label-wide">Playground</span>
        </a>
      </div>
    </header>
  );
}
