import { createUniqueId, onMount, type JSX } from 'solid-js';
import { Icon } from './Icon.tsx';

/**
 * A modal with a form in it (native <dialog>: focus stays inside, Escape
 * closes). Shown while it is mounted; its first field has the focus first.
 */
export function FormDialog(props: {
  title: string;
  onClose: () => void;
  children: JSX.Element;
}): JSX.Element {
  let dialog!: HTMLDialogElement;
  const titleId = `dialog-title-${createUniqueId()}`;
  onMount(() => {
    dialog.showModal();
    dialog.querySelector<HTMLElement>('input, select, textarea')?.focus();
  });
  return (
    <dialog
      ref={dialog}
      class="confirm-dialog form-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <header class="dialog-header">
        <h2 id={titleId}>{props.title}</h2>
        <button
          type="button"
          class="icon-button"
          aria-label="Close the dialog"
          title="Close (Esc)"
          onClick={() => props.onClose()}
        >
          <Icon name="close" />
        </button>
      </header>
      {props.children}
    </dialog>
  );
}
