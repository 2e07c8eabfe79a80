import { For, type JSX } from 'solid-js';
import { Icon } from './Icon.tsx';

export interface Notice {
  readonly id: number;
  readonly tone: 'info' | 'success' | 'warning' | 'error';
  readonly message: string;
}

/** Short messages about what just happened; read out by screen readers. */
export function Notices(props: {
  notices: readonly Notice[];
  onDismiss: (id: number) => void;
}): JSX.Element {
  return (
    <div class="notices" role="status" aria-live="polite">
      <For each={props.notices}>
        {(notice) => (
          <div class={`toast tone-${notice.tone}`}>
            <span>{notice.message}</span>
            <button
              type="button"
              class="icon-button"
              aria-label="Dismiss message"
              onClick={() => props.onDismiss(notice.id)}
            >
              <Icon name="close" size={16} />
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
