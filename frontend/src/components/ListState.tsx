import { Show, type JSX } from 'solid-js';
import type { Problem } from '../graphql/problems.ts';
import { Icon, type IconName } from './Icon.tsx';

/** What the list area says when it has no rows to show: why, and what to do next. */
export function ListMessage(props: {
  icon: IconName;
  title: string;
  children?: JSX.Element;
  tone?: 'error';
}): JSX.Element {
  return (
    <div
      class="list-message"
      classList={{ error: props.tone === 'error' }}
      role={props.tone === 'error' ? 'alert' : undefined}
    >
      <Icon name={props.icon} size={40} />
      <h2>{props.title}</h2>
      {props.children}
    </div>
  );
}

export function ListError(props: { problem: Problem; onRetry: () => void }): JSX.Element {
  return (
    <ListMessage icon="alert" title="The files could not be loaded" tone="error">
      <p>{props.problem.message}</p>
      <Show when={props.problem.code === 'NETWORK' || props.problem.code === 'UNAVAILABLE'}>
        <p class="muted">
          The list comes back by itself once the server answers again; or try now.
        </p>
      </Show>
      <button type="button" class="button primary" onClick={() => props.onRetry()}>
        <Icon name="retry" size={18} /> Try again
      </button>
    </ListMessage>
  );
}
