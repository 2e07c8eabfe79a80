import { Show, type JSX } from 'solid-js';
import type { Session } from '../accounts/session.ts';
import { AuthPage } from './AuthPage.tsx';
import { Field, textOf } from './Field.tsx';

/** Email and password; shown while nobody is signed in, also when a session has ended. */
export function SignInPage(props: { session: Session }): JSX.Element {
  let password!: HTMLInputElement;
  return (
    <AuthPage
      title="Sign in"
      intro={
        <Show when={props.session.ended()}>
          <p class="notice" role="status">
            Your session has ended. Sign in again to go on where you were.
          </p>
        </Show>
      }
      refusal={props.session.refusal()}
      busy={props.session.busy()}
      submitLabel="Sign in"
      busyLabel="Signing in…"
      onSubmit={(form) => {
        void props.session
          .signIn(textOf(form, 'email').trim(), textOf(form, 'password'))
          .then((ok) => {
            // Try again from the password: the email is most likely right.
            if (!ok && password.isConnected) password.select();
          });
      }}
    >
      <Field label="Email" name="email" type="email" autocomplete="username" required />
      <Field
        label="Password"
        name="password"
        type="password"
        autocomplete="current-password"
        required
        ref={(element) => (password = element)}
      />
    </AuthPage>
  );
}
