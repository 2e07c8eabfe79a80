import { Match, Switch, type JSX } from 'solid-js';
import { createSession } from './accounts/session.ts';
import { createGraphQLClient } from './graphql/client.ts';
import { Icon } from './components/Icon.tsx';
import { ListMessage } from './components/ListState.tsx';
import { SetupPage } from './components/SetupPage.tsx';
import { SignInPage } from './components/SignInPage.tsx';
import { Workspace } from './Workspace.tsx';

/**
 * The page: one GraphQL client and the session, and what the session allows:
 * the first-run setup, the sign-in page, or the workspace of someone signed in.
 * Any answer saying nobody is signed in (the session expired or ended
 * elsewhere) brings the sign-in page back; the address stays, so signing in
 * again returns there.
 */
export function App(): JSX.Element {
  // The client reports to the session, which asks through the client: the session comes second.
  const client = createGraphQLClient({ onUnauthenticated: () => current.expired() });
  const current = createSession(client);
  void current.check();

  return (
    <Switch>
      <Match when={current.state() === 'loading'}>
        <main class="auth-page" aria-busy="true">
          <p class="muted">Loading…</p>
        </main>
      </Match>
      <Match when={current.state() === 'error' && current.problem()}>
        {(problem) => (
          <main class="auth-page">
            <ListMessage icon="alert" title="filegraph could not be reached" tone="error">
              <p>{problem().message}</p>
              <button type="button" class="button primary" onClick={() => void current.check()}>
                <Icon name="retry" size={18} /> Try again
              </button>
            </ListMessage>
          </main>
        )}
      </Match>
      <Match when={current.state() === 'setup'}>
        <SetupPage session={current} />
      </Match>
      <Match when={current.state() === 'signedOut'}>
        <SignInPage session={current} />
      </Match>
      <Match when={current.state() === 'signedIn' && current.user()}>
        {(user) => <Workspace client={client} session={current} user={user()} />}
      </Match>
    </Switch>
  );
}
