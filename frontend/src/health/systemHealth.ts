import { createEffect, createSignal, on, onCleanup, type Accessor } from 'solid-js';
import type { Client } from '@urql/core';
import { HealthDocument } from '../graphql/generated.ts';
import { problemOf, type Problem } from '../graphql/problems.ts';
import type { Health } from '../graphql/types.ts';

export interface SystemHealth {
  /** The last answer (kept while a later check fails, so the panel does not go blank). */
  readonly health: Accessor<Health | undefined>;
  readonly loading: Accessor<boolean>;
  readonly problem: Accessor<Problem | undefined>;
  refresh(): void;
}

/**
 * The `health` query, asked again every `intervalMs` while `active()` is true
 * (the panel is open) and the page is visible.
 */
export function createSystemHealth(
  client: Client,
  active: Accessor<boolean>,
  intervalMs = 5000,
): SystemHealth {
  const [health, setHealth] = createSignal<Health>();
  const [loading, setLoading] = createSignal(false);
  const [problem, setProblem] = createSignal<Problem>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;

  async function check(): Promise<void> {
    clearTimeout(timer);
    const mine = ++generation;
    setLoading(true);
    const result = await client.query(HealthDocument, {}).toPromise();
    if (mine !== generation) return;
    setLoading(false);
    if (result.data?.health) {
      setHealth(result.data.health);
      setProblem(undefined);
    } else {
      setProblem(
        result.error
          ? problemOf(result.error)
          : { code: 'UNKNOWN', message: 'The health check sent no answer.' },
      );
    }
    schedule();
  }

  function schedule(): void {
    clearTimeout(timer);
    if (!active()) return;
    timer = setTimeout(() => {
      const hidden = typeof document !== 'undefined' && document.visibilityState === 'hidden';
      if (hidden) schedule();
      else void check();
    }, intervalMs);
  }

  createEffect(
    on(active, (on) => {
      if (on) void check();
      else {
        generation += 1;
        clearTimeout(timer);
      }
    }),
  );
  onCleanup(() => {
    generation += 1;
    clearTimeout(timer);
  });

  return { health, loading, problem, refresh: () => void check() };
}
