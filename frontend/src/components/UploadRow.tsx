import { Match, Show, Switch, type JSX } from 'solid-js';
import type { UploadEntry } from '../uploads/uploadQueue.ts';
import { formatDuration, formatSize, formatSpeed } from '../ui/format.ts';
import { Icon } from './Icon.tsx';

export function percentOf(loaded: number, total: number, done: boolean): number {
  if (done) return 100;
  if (!(total > 0)) return 0;
  return Math.min(100, Math.floor((loaded / total) * 100));
}

/** One file's upload: progress, speed and time left, or why it failed and what can be done. */
export function UploadRow(props: {
  entry: UploadEntry;
  onCancel: () => void;
  onRetry: (overwrite: boolean) => void;
  onDismiss: () => void;
}): JSX.Element {
  const percent = () =>
    percentOf(props.entry.loaded, props.entry.total, props.entry.status === 'done');
  const left = () => formatDuration(props.entry.secondsLeft);
  return (
    <li class={`upload-row status-${props.entry.status}`} data-name={props.entry.name}>
      <div class="upload-line">
        <span class="upload-name" title={props.entry.name}>
          <Show when={props.entry.replaceId}>
            <span class="tag">replace</span>
          </Show>
          {props.entry.name}
        </span>
        <span class="upload-actions">
          <Switch>
            <Match when={props.entry.status === 'queued' || props.entry.status === 'uploading'}>
              <button
                type="button"
                class="icon-button"
                aria-label={`Cancel uploading ${props.entry.name}`}
                title="Cancel"
                onClick={() => props.onCancel()}
              >
                <Icon name="close" size={18} />
              </button>
            </Match>
            <Match when={props.entry.status === 'failed' || props.entry.status === 'cancelled'}>
              <Show when={!props.entry.final}>
                <button
                  type="button"
                  class="text-button"
                  aria-label={`Retry ${props.entry.name}`}
                  onClick={() => props.onRetry(false)}
                >
                  Retry
                </button>
              </Show>
              <button
                type="button"
                class="icon-button"
                aria-label={`Dismiss ${props.entry.name}`}
                title="Dismiss"
                onClick={() => props.onDismiss()}
              >
                <Icon name="close" size={18} />
              </button>
            </Match>
          </Switch>
        </span>
      </div>
      <div
        class="progress"
        role="progressbar"
        aria-label={`${props.entry.name} upload progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent()}
      >
        <span class="progress-fill" style={{ width: `${percent()}%` }} />
      </div>
      <div class="upload-status" aria-live="polite">
        <Switch>
          <Match when={props.entry.status === 'queued'}>Waiting…</Match>
          <Match when={props.entry.status === 'uploading'}>
            <span class="upload-percent">{percent()}%</span>
            {` · ${formatSize(props.entry.loaded)} of ${formatSize(props.entry.total)}`}
            <Show when={formatSpeed(props.entry.speed)}>{(speed) => ` · ${speed()}`}</Show>
            <Show when={left()}>{(time) => ` · ${time()} left`}</Show>
          </Match>
          <Match when={props.entry.status === 'done'}>
            <Icon name="check" size={14} /> Uploaded · {formatSize(props.entry.total)}
          </Match>
          <Match when={props.entry.status === 'cancelled'}>Cancelled.</Match>
          <Match when={props.entry.status === 'failed'}>
            <span class="upload-error" role="alert">
              {props.entry.problem?.message ?? 'Failed.'}
            </span>
            <Show when={props.entry.problem?.code === 'CONFLICT' && !props.entry.replaceId}>
              <button type="button" class="text-button" onClick={() => props.onRetry(true)}>
                Overwrite
              </button>
            </Show>
          </Match>
        </Switch>
      </div>
    </li>
  );
}
