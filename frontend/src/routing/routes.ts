/**
 * Where the UI is lives in the URL's hash, so Back, reload and links work. The files view
 * keeps its folder there ("#/photos/2024/"); every other view has a fixed address without
 * that "/", so no folder can take it. A new view (a sign-in page, an account page) is one
 * more line in `addresses` and one more branch where App shows the views.
 */
const addresses = {
  trash: '#trash',
  tokens: '#tokens',
  users: '#users',
  usage: '#usage',
} as const;

/** A view with a fixed address. */
export type PageView = keyof typeof addresses;

export type View = 'files' | PageView;

export type Route =
  | {
      readonly view: 'files';
      /** Folder path ending in "/", or "" for the top. */
      readonly prefix: string;
    }
  | { readonly view: PageView };

const pages = Object.entries(addresses) as Array<[PageView, string]>;

export function routeOf(hash: string): Route {
  const page = pages.find(([, address]) => address === hash);
  return page ? { view: page[0] } : { view: 'files', prefix: prefixOf(hash) };
}

export function hrefOf(route: Route): string {
  return route.view === 'files' ? folderHref(route.prefix) : addresses[route.view];
}

/** "photos/2024/" → "#/photos/2024/", each name encoded so any character survives. */
export function folderHref(path: string): string {
  return `#/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** "#/photos/2024/" → "photos/2024/"; a hash that does not decode is the top folder. */
function prefixOf(hash: string): string {
  const path = hash.replace(/^#\/?/, '');
  try {
    return path
      .split('/')
      .map((part) => decodeURIComponent(part))
      .join('/');
  } catch {
    return '';
  }
}
