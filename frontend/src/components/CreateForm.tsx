import { onMount, type JSX } from 'solid-js';

/**
 * A form that makes something (a token, a user, a link): its first field has
 * the focus first, and it is cleared for the next one once this one is made.
 * In a card with its fields side by side on a page, or stacked in a dialog.
 */
export function CreateForm(props: {
  label: string;
  inDialog?: boolean;
  /** Answers whether it was made (so the form is cleared). */
  onSubmit: (data: FormData) => Promise<boolean>;
  children: JSX.Element;
}): JSX.Element {
  let form!: HTMLFormElement;
  onMount(() => form.querySelector('input')?.focus());
  return (
    <form
      ref={form}
      class={props.inDialog ? 'dialog-form' : 'card inline-form'}
      aria-label={props.label}
      onSubmit={(event) => {
        event.preventDefault();
        void props.onSubmit(new FormData(form)).then((made) => made && form.reset());
      }}
    >
      {props.children}
    </form>
  );
}
