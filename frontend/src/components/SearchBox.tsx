import { Show, type JSX } from 'solid-js';
import { Icon } from './Icon.tsx';

/** The search field; "/" anywhere on the page jumps here. */
export function SearchBox(props: {
  value: string;
  onInput: (value: string) => void;
  onClear: () => void;
  ref?: (element: HTMLInputElement) => void;
}): JSX.Element {
  return (
    <form class="search-box" role="search" onSubmit={(event) => event.preventDefault()}>
      <Icon name="search" size={18} class="search-icon" />
      <input
        ref={(element) => props.ref?.(element)}
        type="search"
        placeholder="Search files"
        aria-label="Search files by name"
        autocomplete="off"
        spellcheck={false}
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && props.value) {
            event.preventDefault();
            props.onClear();
          }
        }}
      />
      <Show when={props.value}>
        <button
          type="button"
          class="icon-button"
          aria-label="Clear the search"
          onClick={() => props.onClear()}
        >
          <Icon name="close" size={16} />
        </button>
      </Show>
    </form>
  );
}
