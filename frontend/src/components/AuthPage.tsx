import { createUniqueId, onMount, type JSX } from 'solid-js';
import { BrandMark } from './BrandMark.tsx';
import { FormError } from './Field.tsx';

/**
 * The page around signing in and the first-run setup: the brand, a title, one
 * form whose first field has the focus, and the API's refusal when there is one.
 */
export function AuthPage(props: {
  title: string;
  intro?: JSX.Element;
  refusal: string | undefined;
  busy: boolean;
  submitLabel: string;
  busyLabel: string;
  onSubmit: (form: FormData) => void;
  children: JSX.Element;
}): JSX.Element {
  let form!: HTMLFormElement;
  const titleId = `auth-title-${createUniqueId()}`;
  onMount(() => form.querySelector('input')?.focus());
  return (
    <main class="auth-page">
      <form
        ref={form}
        class="auth-card"
        aria-labelledby={titleId}
        aria-busy={props.busy}
        onSubmit={(event) => {
          event.preventDefault();
          props.onSubmit(new FormData(event.currentTarget));
        }}
      >
        <p class="brand">
          <BrandMark />
          <span>filegraph</span>
        </p>
        <h1 id={titleId}>{props.title}</h1>
        {props.intro}
        {props.children}
        <FormError message={props.refusal} />
        <button type="submit" class="button primary" disabled={props.busy}>
          {props.busy ? props.busyLabel : props.submitLabel}
        </button>
      </form>
    </main>
  );
}
