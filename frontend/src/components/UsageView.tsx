import { For, Match, Show, Switch, type JSX } from 'solid-js';
import { formatFullDate, formatSize, plural } from '../ui/format.ts';
import { usageBars } from '../usage/usageBars.ts';
import type { UsageSummary } from '../usage/usageSummary.ts';
import { Icon } from './Icon.tsx';
import { InlineError, ListError, ListMessage } from './ListState.tsx';
import { UsageChart } from './UsageChart.tsx';
import { ViewTitle } from './ViewTitle.tsx';

/** The report's addresses on the gateway (docs/api.md#usage-report). */
export const reportLinks = [
  { href: '/reports/usage.xlsx', label: 'Excel (XLSX)' },
  { href: '/reports/usage.csv', label: 'CSV of files' },
  { href: '/reports/usage.csv?part=totals', label: 'CSV of totals' },
] as const;

/**
 * Storage by content type and by owner (admins only), from the figures the
 * server keeps cached, and the full inventory to download.
 */
export function UsageView(props: { usage: UsageSummary }): JSX.Element {
  const usage = () => props.usage;
  const total = () => {
    const figures = usage().figures();
    return { files: figures?.files ?? 0, bytes: figures?.bytes ?? 0 };
  };
  const typeBars = () =>
    usageBars(
      (usage().figures()?.byType ?? []).map((group) => ({ ...group, label: group.contentType })),
      total(),
    );
  const ownerBars = () =>
    usageBars(
      (usage().figures()?.byOwner ?? []).map((group) => ({ ...group, label: group.owner.email })),
      total(),
    );
  return (
    <main class="main page-view">
      <div class="listbar">
        <ViewTitle icon="layers" title="Usage" />
        <p class="count" aria-live="polite" data-testid="usage-total">
          <Show
            when={usage().figures()}
            fallback={usage().state() === 'error' ? 'Not loaded' : 'Loading the figures…'}
          >
            {(figures) => `${formatSize(figures().bytes)} in ${plural(figures().files, 'file')}`}
          </Show>
        </p>
      </div>
      <section class="card usage-downloads">
        <p>
          Every file with its folder, owner, type, size and dates, and totals per folder, type and
          owner. Downloading it also refreshes the figures below.
        </p>
        <div class="usage-links">
          <For each={reportLinks}>
            {(link) => (
              <a class="button" href={link.href} download="">
                <Icon name="download" size={18} /> {link.label}
              </a>
            )}
          </For>
        </div>
      </section>
      <Show when={usage().problem() && usage().figures()}>
        <InlineError onRetry={() => usage().reload()}>
          Could not refresh the figures: {usage().problem()?.message}
        </InlineError>
      </Show>
      <Switch>
        <Match when={usage().state() === 'loading'}>
          <ListMessage icon="layers" title="Loading the figures…" />
        </Match>
        <Match when={usage().state() === 'error'}>
          <ListError
            title="The figures could not be loaded"
            problem={usage().problem() ?? { code: 'UNKNOWN', message: 'No answer.' }}
            onRetry={() => usage().reload()}
          />
        </Match>
        <Match when={usage().state() === 'empty'}>
          <ListMessage icon="layers" title="Nothing is stored yet">
            <p>The charts show once files are uploaded.</p>
          </ListMessage>
        </Match>
        <Match when={usage().state() === 'ready'}>
          <UsageChart title="Storage by type" bars={typeBars()} testId="usage-type-bar" />
          <UsageChart title="Storage by owner" bars={ownerBars()} testId="usage-owner-bar" />
        </Match>
      </Switch>
      <Show when={usage().figures()}>
        {(figures) => (
          <p class="muted usage-when">
            Counted {formatFullDate(figures().computedAt)}; figures are refreshed by each report and
            at most every few minutes.{' '}
            <button type="button" class="text-button" onClick={() => usage().reload()}>
              Reload
            </button>
          </p>
        )}
      </Show>
    </main>
  );
}
