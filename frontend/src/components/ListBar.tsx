import { For, Show, type JSX } from 'solid-js';
import type { FileOrder } from '../graphql/types.ts';
import { Breadcrumb } from './Breadcrumb.tsx';
import { Icon } from './Icon.tsx';

const orders: Array<{ value: string; label: string }> = [
  { value: 'NAME:ASC', label: 'Name A–Z' },
  { value: 'NAME:DESC', label: 'Name Z–A' },
  { value: 'SIZE:DESC', label: 'Largest first' },
  { value: 'SIZE:ASC', label: 'Smallest first' },
  { value: 'UPDATED_AT:DESC', label: 'Newest first' },
  { value: 'UPDATED_AT:ASC', label: 'Oldest first' },
];

/** Above the list: where it is, how many, and what to do with the selection or the view. */
export function ListBar(props: {
  prefix: string;
  hrefOf: (path: string) => string;
  count: string;
  selectedCount: number;
  recursive: boolean;
  searching: boolean;
  onRecursive: (recursive: boolean) => void;
  order: FileOrder;
  onOrder: (order: FileOrder) => void;
  onDownloadSelected: () => void;
  onDeleteSelected: () => void;
  onClearSelection: () => void;
}): JSX.Element {
  return (
    <div class="listbar">
      <Breadcrumb prefix={props.prefix} hrefOf={props.hrefOf} />
      <div class="listbar-row">
        <p class="count" aria-live="polite" data-testid="count">
          {props.count}
        </p>
        <div class="listbar-actions">
          <Show
            when={props.selectedCount > 0}
            fallback={
              <>
                <label class="toggle">
                  <input
                    type="checkbox"
                    checked={props.recursive}
                    disabled={props.searching}
                    onChange={(event) => props.onRecursive(event.currentTarget.checked)}
                  />
                  <span>Include subfolders</span>
                </label>
                <label class="sort-select">
                  <span class="visually-hidden">Sort by</span>
                  <select
                    value={`${props.order.field}:${props.order.direction}`}
                    onChange={(event) => {
                      const [field, direction] = event.currentTarget.value.split(':');
                      props.onOrder({ field, direction } as FileOrder);
                    }}
                  >
                    <For each={orders}>
                      {(order) => <option value={order.value}>{order.label}</option>}
                    </For>
                  </select>
                </label>
              </>
            }
          >
            <span class="selection-count">{props.selectedCount} selected</span>
            <button type="button" class="button" onClick={() => props.onDownloadSelected()}>
              <Icon name="download" size={18} />
              <span class="label-wide">Download</span>
            </button>
            <button type="button" class="button danger" onClick={() => props.onDeleteSelected()}>
              <Icon name="trash" size={18} />
              <span class="label-wide">Delete</span>
            </button>
            <button type="button" class="button" onClick={() => props.onClearSelection()}>
              Clear
            </button>
          </Show>
        </div>
      </div>
    </div>
  );
}
