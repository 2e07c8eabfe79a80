import { batch, createSignal, onCleanup, type Accessor } from 'solid-js';
import { hrefOf, routeOf, type Route, type View } from './routes.ts';

export interface Router {
  readonly view: Accessor<View>;
  /** The files view's folder; it stays what it was while another view shows, for the way back. */
  readonly prefix: Accessor<string>;
  /** Goes to `route` as a link would: a new history entry, so Back returns. */
  go(route: Route): void;
}

/**
 * The route in the page's URL, followed as it changes (links, Back, typed addresses).
 * `onNavigate` runs with each change, in the same batch as the new route.
 */
export function createRouter(options: { onNavigate?: (route: Route) => void } = {}): Router {
  const first = routeOf(location.hash);
  const [view, setView] = createSignal<View>(first.view);
  const [prefix, setPrefix] = createSignal(first.view === 'files' ? first.prefix : '');

  const onHashChange = () => {
    const next = routeOf(location.hash);
    batch(() => {
      setView(next.view);
      if (next.view === 'files') setPrefix(next.prefix);
      options.onNavigate?.(next);
    });
  };
  window.addEventListener('hashchange', onHashChange);
  onCleanup(() => window.removeEventListener('hashchange', onHashChange));

  return {
    view,
    prefix,
    go(route) {
      location.hash = hrefOf(route);
    },
  };
}
