import { For, Show, createEffect, createSignal, onCleanup, type JSX } from 'solid-js';
import type { UploadQueue } from '../uploads/uploadQueue.ts';
import { formatDuration, formatSize, formatSpeed, plural } from '../ui/format.ts';
import { Icon } from './Icon.tsx';
import { UploadRow, percentOf } from './UploadRow.tsx';

/** The uploads of this session: an overall bar and one row per file. */
export function UploadPanel(props: { queue: UploadQueue }): JSX.Element {
  const [collapsed, setCollapsed] = createSignal(false);
  const totals = () => props.queue.totals();
  // Opens for new uploads; folds away a few seconds after all went well, so it hides no rows.
  createEffect(() => {
    const t = totals();
    if (t.active > 0) setCollapsed(false);
    else if (t.failed === 0 && t.done > 0) {
      const timer = setTimeout(() => setCollapsed(true), 4000);
      onCleanup(() => clearTimeout(timer));
    }
  });
  const overall = () => percentOf(totals().loaded, totals().total, totals().active === 0);
  const timeLeft = () =>
    totals().speed > 0
      ? formatDuration((totals().total - totals().loaded) / totals().speed)
      : undefined;
  const title = () => {
    const t = totals();
    if (t.active > 0) return `Uploading ${plural(t.active, 'file')}`;
    if (t.failed > 0 && t.done === 0) return `${plural(t.failed, 'upload')} failed`;
    if (t.failed > 0) return `${plural(t.done, 'file')} uploaded, ${t.failed} failed`;
    if (t.done === 0) return 'Uploads cancelled';
    return `${plural(t.done, 'file')} uploaded`;
  };
  /** The overall bar only means something while some upload is on or has gone through. */
  const showOverall = () => totals().active + totals().done > 0;
  return (
    <Show when={props.queue.entries.length > 0}>
      <section class="upload-panel" aria-label="Uploads">
        <header class="upload-header">
          <button
            type="button"
            class="upload-title"
            aria-expanded={!collapsed()}
            onClick={() => setCollapsed(!collapsed())}
          >
            <Icon name="upload" size={18} />
            <span>{title()}</span>
          </button>
          <Show when={totals().retryable > 1}>
            {/* A failed batch fails all its files: one click sends them again, batched anew. */}
            <button type="button" class="text-button" onClick={() => props.queue.retryFailed()}>
              Retry all failed
            </button>
          </Show>
          <Show when={totals().active === 0}>
            <button
              type="button"
              class="icon-button"
              aria-label="Close the upload list"
              title="Close"
              onClick={() => props.queue.clearFinished()}
            >
              <Icon name="close" size={18} />
            </button>
          </Show>
        </header>
        <Show when={showOverall()}>
          <div
            class="progress overall"
            role="progressbar"
            aria-label="All uploads"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={overall()}
          >
            <span class="progress-fill" style={{ width: `${overall()}%` }} />
          </div>
          <p class="upload-summary">
            {overall()}% · {formatSize(totals().loaded)} of {formatSize(totals().total)}
            <Show when={totals().active > 0 && formatSpeed(totals().speed)}>
              {(speed) => ` · ${speed()}`}
            </Show>
            <Show when={totals().active > 0 && timeLeft()}>{(time) => ` · ${time()} left`}</Show>
          </p>
        </Show>
        <Show when={!collapsed()}>
          <ul class="upload-list">
            <For each={props.queue.entries}>
              {(entry) => (
                <UploadRow
                  entry={entry}
                  onCancel={() => props.queue.cancel(entry.key)}
                  onRetry={(overwrite) => props.queue.retry(entry.key, { overwrite })}
                  onDismiss={() => props.queue.dismiss(entry.key)}
                />
              )}
            </For>
          </ul>
        </Show>
      </section>
    </Show>
  );
}
