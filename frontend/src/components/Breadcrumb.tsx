import { For, type JSX } from 'solid-js';
import { crumbsOf } from '../files/names.ts';
import { Icon } from './Icon.tsx';

/** Where the list is: Home / photos / 2024, each a link up. */
export function Breadcrumb(props: {
  prefix: string;
  hrefOf: (path: string) => string;
}): JSX.Element {
  const crumbs = () => crumbsOf(props.prefix);
  return (
    <nav class="breadcrumb" aria-label="Folder">
      <ol>
        <li>
          <a href={props.hrefOf('')} aria-current={props.prefix === '' ? 'page' : undefined}>
            <Icon name="home" size={16} />
            <span>All files</span>
          </a>
        </li>
        <For each={crumbs()}>
          {(crumb, index) => (
            <li>
              <Icon name="chevron" size={14} class="crumb-separator" />
              <a
                href={props.hrefOf(crumb.path)}
                aria-current={index() === crumbs().length - 1 ? 'page' : undefined}
              >
                {crumb.name}
              </a>
            </li>
          )}
        </For>
      </ol>
    </nav>
  );
}
