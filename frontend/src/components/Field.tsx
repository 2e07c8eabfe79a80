import { Show, createUniqueId, type JSX } from 'solid-js';

/** A labelled input of a form. */
export function Field(props: {
  label: string;
  name: string;
  type?: 'text' | 'email' | 'password' | 'number';
  autocomplete?: string;
  required?: boolean;
  hint?: string;
  min?: number;
  max?: number;
  minLength?: number;
  placeholder?: string;
  ref?: (element: HTMLInputElement) => void;
}): JSX.Element {
  const id = `field-${createUniqueId()}`;
  const hintId = `${id}-hint`;
  return (
    <div class="field">
      <label class="field-label" for={id}>
        {props.label}
      </label>
      <input
        ref={(element) => props.ref?.(element)}
        id={id}
        class="text-input"
        name={props.name}
        type={props.type ?? 'text'}
        autocomplete={props.autocomplete ?? 'off'}
        required={props.required}
        min={props.min}
        max={props.max}
        minLength={props.minLength}
        placeholder={props.placeholder}
        aria-describedby={props.hint ? hintId : undefined}
      />
      <Show when={props.hint}>
        {(hint) => (
          <p id={hintId} class="field-hint">
            {hint()}
          </p>
        )}
      </Show>
    </div>
  );
}

/** What the accounts API allows for a password (subgraphs/accounts/src/schema.graphql). */
const passwordLength = { min: 8, max: 256 } as const;

/** A password being chosen, with the accounts API's rule for it and what else to know (`note`). */
export function NewPasswordField(props: {
  label: string;
  name: string;
  note?: string;
}): JSX.Element {
  const rule = `${passwordLength.min} to ${passwordLength.max} characters.`;
  return (
    <Field
      label={props.label}
      name={props.name}
      type="password"
      autocomplete="new-password"
      required
      minLength={passwordLength.min}
      hint={props.note ? `${rule} ${props.note}` : rule}
    />
  );
}

/** Why a form was not done (the input, or the server's refusal); nothing when it is fine. */
export function FormError(props: { message: string | undefined; inline?: boolean }): JSX.Element {
  return (
    <Show when={props.message}>
      {(message) => (
        <p class="notice error" classList={{ inline: props.inline }} role="alert">
          {message()}
        </p>
      )}
    </Show>
  );
}

/** A form value as text ("" when absent). */
export function textOf(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
