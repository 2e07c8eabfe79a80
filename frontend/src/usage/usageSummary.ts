import { createSignal, type Accessor } from 'solid-js';
import type { Client } from '@urql/core';
import { UsageSummaryDocument, type UsageSummaryQuery } from '../graphql/generated.ts';
import { problemOf, type Problem } from '../graphql/problems.ts';

export type UsageFigures = UsageSummaryQuery['usageSummary'];

/** loading: asked, no answer yet; empty: no file stored; ready: figures to chart; error: see problem. */
export type UsageState = 'loading' | 'empty' | 'ready' | 'error';

export interface UsageSummary {
  readonly state: Accessor<UsageState>;
  /** The last figures (kept while a reload is under way or fails). */
  readonly figures: Accessor<UsageFigures | undefined>;
  /** What the last ask failed with (shown above figures that are still there). */
  readonly problem: Accessor<Problem | undefined>;
  /** An ask is under way. */
  readonly loading: Accessor<boolean>;
  reload(): void;
}

/**
 * The usage page's figures (`usageSummary`, admins only), asked once when
 * the page opens and again on reload. The server answers from its cache,
 * so opening the page costs one row read, not a count of every file.
 */
export function createUsageSummary(client: Client): UsageSummary {
  const [figures, setFigures] = createSignal<UsageFigures>();
  const [problem, setProblem] = createSignal<Problem>();
  const [loading, setLoading] = createSignal(true);
  let generation = 0;

  async function load(): Promise<void> {
    const mine = ++generation;
    setLoading(true);
    // network-only: a reload after a report must show the figures it stored.
    const result = await client
      .query(UsageSummaryDocument, {}, { requestPolicy: 'network-only' })
      .toPromise();
    if (mine !== generation) return;
    setLoading(false);
    if (result.data?.usageSummary) {
      setFigures(result.data.usageSummary);
      setProblem(undefined);
    } else {
      setProblem(
        result.error
          ? problemOf(result.error)
          : { code: 'UNKNOWN', message: 'The server sent no figures.' },
      );
    }
  }

  const state = (): UsageState => {
    const shown = figures();
    if (!shown) return problem() ? 'error' : 'loading';
    return shown.files === 0 ? 'empty' : 'ready';
  };

  void load();
  return { state, figures, problem, loading, reload: () => void load() };
}
