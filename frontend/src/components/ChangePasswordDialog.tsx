import type { JSX } from 'solid-js';
import type { Outcome } from '../files/fileActions.ts';
import { createSubmission } from '../ui/submission.ts';
import { Field, FormError, NewPasswordField, textOf } from './Field.tsx';
import { FormDialog } from './FormDialog.tsx';

/** The current password and a new one, twice; other sessions end when it changes. */
export function ChangePasswordDialog(props: {
  onChange: (current: string, next: string) => Promise<Outcome<boolean>>;
  onDone: () => void;
  onClose: () => void;
}): JSX.Element {
  const form = createSubmission();
  const submit = async (data: FormData) => {
    const next = textOf(data, 'new');
    const change = props.onChange;
    const outcome = await form.send(
      () => change(textOf(data, 'current'), next),
      next === textOf(data, 'repeat')
        ? undefined
        : 'The new password and its repetition differ; type them again.',
    );
    if (outcome?.ok) props.onDone();
  };
  return (
    <FormDialog title="Change your password" onClose={() => props.onClose()}>
      <form
        class="dialog-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit(new FormData(event.currentTarget));
        }}
      >
        <Field
          label="Current password"
          name="current"
          type="password"
          autocomplete="current-password"
          required
        />
        <NewPasswordField
          label="New password"
          name="new"
          note="Your other sessions end; this one stays."
        />
        <Field
          label="New password again"
          name="repeat"
          type="password"
          autocomplete="new-password"
          required
        />
        <FormError message={form.refusal()} />
        <div class="dialog-actions">
          <button type="button" class="button" onClick={() => props.onClose()}>
            Cancel
          </button>
          <button type="submit" class="button primary" disabled={form.busy()}>
            {form.busy() ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </FormDialog>
  );
}
