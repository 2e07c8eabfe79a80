import { Match, Show, Switch, type JSX } from 'solid-js';
import type { PagedList } from '../graphql/pagedList.ts';
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

/** A page only admins may see, opened by someone else: why, and the way back. */
export function AdminsOnly(props: { icon: IconName; title: string; back: string }): JSX.Element {
  return (
    <main class="main page-view">
      <ListMessage icon={props.icon} title={props.title}>
        <a class="button" href={props.back}>
          Back to the files
        </a>
      </ListMessage>
    </main>
  );
}

/** A list that could not be loaded: why (and `children`, more on it), and a retry. */
export function ListError(props: {
  title: string;
  problem: Problem;
  onRetry: () => void;
  children?: JSX.Element;
}): JSX.Element {
  return (
    <ListMessage icon="alert" title={props.title} tone="error">
      <p>{props.problem.message}</p>
      {props.children}
      <button type="button" class="button primary" onClick={() => props.onRetry()}>
        <Icon name="retry" size={18} /> Try again
      </button>
    </ListMessage>
  );
}

/** A problem above a list that still shows what it has: what failed, and a retry. */
export function InlineError(props: { children: JSX.Element; onRetry: () => void }): JSX.Element {
  return (
    <div class="notice error inline" role="alert">
      <Icon name="alert" size={18} />
      <span>{props.children}</span>
      <button type="button" class="text-button" onClick={() => props.onRetry()}>
        Try again
      </button>
    </div>
  );
}

/**
 * The list area of a paged list in each of its states: loading, not loaded
 * (with a retry), empty, or its rows (`children`); above it, when a later
 * page failed, what failed and a retry.
 */
export function ListStates(props: {
  list: Pick<PagedList<unknown>, 'state' | 'problem' | 'reload' | 'loadMore'>;
  icon: IconName;
  loadingTitle: string;
  errorTitle: string;
  /** For a list of many pages: what a later page that failed held, e.g. "More users". */
  more?: string;
  /** Nothing when a list is never empty. */
  empty?: JSX.Element;
  children: JSX.Element;
}): JSX.Element {
  const state = () => props.list.state();
  return (
    <>
      <Show when={props.more !== undefined && state() === 'ready' && props.list.problem()}>
        {(problem) => (
          <InlineError onRetry={() => props.list.loadMore()}>
            {props.more} could not be loaded: {problem().message}
          </InlineError>
        )}
      </Show>
      <div class="list-area">
        <Switch>
          <Match when={state() === 'loading'}>
            <ListMessage icon={props.icon} title={props.loadingTitle} />
          </Match>
          <Match when={state() === 'error' && props.list.problem()}>
            {(problem) => (
              <ListError
                title={props.errorTitle}
                problem={problem()}
                onRetry={() => props.list.reload()}
              />
            )}
          </Match>
          <Match when={state() === 'empty'}>{props.empty}</Match>
          <Match when={state() === 'ready'}>{props.children}</Match>
        </Switch>
      </div>
    </>
  );
}

/** Below the rows of a paged list while it has more: a button that loads the next page. */
export function LoadMore(props: {
  list: Pick<PagedList<unknown>, 'hasMore' | 'loadingMore' | 'loadMore'>;
}): JSX.Element {
  return (
    <Show when={props.list.hasMore()}>
      <div class="load-more">
        <button
          type="button"
          class="button"
          disabled={props.list.loadingMore()}
          onClick={() => props.list.loadMore()}
        >
          {props.list.loadingMore() ? 'Loading…' : 'Show more'}
        </button>
      </div>
    </Show>
  );
}
