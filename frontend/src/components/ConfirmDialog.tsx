import { createEffect, createUniqueId, type JSX } from 'solid-js';

/**
 * A modal question (native <dialog>: focus stays inside, Escape cancels).
 * The safe choice, Cancel, has the focus first.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}): JSX.Element {
  let dialog!: HTMLDialogElement;
  let cancel!: HTMLButtonElement;
  // Several dialogs live in the page at once: each needs its own title id.
  const titleId = `confirm-title-${createUniqueId()}`;
  createEffect(() => {
    if (props.open && !dialog.open) {
      dialog.showModal();
      cancel.focus();
    } else if (!props.open && dialog.open) dialog.close();
  });
  return (
    <dialog
      ref={dialog}
      class="confirm-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      <p>{props.message}</p>
      <div class="dialog-actions">
        <button ref={cancel} type="button" class="button" onClick={() => props.onCancel()}>
          Cancel
        </button>
        <button type="button" class="button danger-solid" onClick={() => props.onConfirm()}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
