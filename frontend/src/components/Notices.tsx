import { For, Show, type JSX } from 'solid-js';
import type { Notice } from '../ui/notices.ts';
import { Icon } from './Icon.tsx';

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
            <Show when={notice.action}>
              {(action) => (
                <button
                  type="button"
                  class="text-button"
                  onClick={() => {
                    // Read before dismissing: the notice (and this accessor) goes with it.
                    const { run } = action();
                    props.onDismiss(notice.id);
                    run();
                  }}
                >
                  {action().label}
                </button>
              )}
            </Show>
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
