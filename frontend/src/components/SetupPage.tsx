import type { JSX } from 'solid-js';
import type { Session } from '../accounts/session.ts';
import { AuthPage } from './AuthPage.tsx';
import { Field, NewPasswordField, textOf } from './Field.tsx';

/** The first run: the setup code from the server's log makes the first admin, who is then signed in. */
export function SetupPage(props: { session: Session }): JSX.Element {
  return (
    <AuthPage
      title="Set up filegraph"
      intro={
        <p class="muted">
          There is no account yet. Make the first admin with the setup code the server printed in
          its log when it started.
        </p>
      }
      refusal={props.session.refusal()}
      busy={props.session.busy()}
      submitLabel="Make the admin account"
      busyLabel="Setting up…"
      onSubmit={(form) =>
        void props.session.setup({
          code: textOf(form, 'code').trim(),
          email: textOf(form, 'email').trim(),
          password: textOf(form, 'password'),
          name: textOf(form, 'name'),
        })
      }
    >
      <Field
        label="Setup code"
        name="code"
        required
        hint="In the server log, from its start; good for 30 minutes (a restart prints a new one)."
      />
      <Field label="Email" name="email" type="email" autocomplete="username" required />
      <NewPasswordField label="Password" name="password" />
      <Field label="Name (optional)" name="name" autocomplete="name" />
    </AuthPage>
  );
}
