import type { JSX } from 'solid-js';
import { BrandMark } from './BrandMark.tsx';
import { Icon } from './Icon.tsx';
import { SearchBox } from './SearchBox.tsx';

/** The bar on top: home, search, upload, the trash, the system panel, the playground and the account. */
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
  /** The account menu, last in the bar. */
  account: JSX.Element;
}): JSX.Element {
  return (
    <header class="topbar">
      <a class="brand" href={props.homeHref} aria-label="filegraph, all files">
        <BrandMark />
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
          <span class="label-compact">Upload</span>
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
        {props.account}
      </div>
    </header>
  );
}
