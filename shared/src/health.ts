import { Router } from 'express';
import type { Lifecycle } from './lifecycle.ts';
import { version } from './version.ts';

/** One thing a service depends on, and how to tell whether it answers. */
export interface DependencyCheck {
  readonly name: string;
  /**
   * What answers it (postgres, minio, sqlite, disk, a subgraph): the
   * `dependency` label of filegraph_dependency_up, which alerts select on.
   * Default: `name`.
   */
  readonly dependency?: string;
  /** Resolves when the dependency answers; rejects with why it does not. */
  check(signal: AbortSignal): Promise<void>;
}

export interface DependencyStatus {
  readonly name: string;
  readonly status: 'ok' | 'down';
  readonly latencyMs: number;
  readonly error?: string;
}

/** Runs every check at once, each bounded by `timeoutMs`. */
export async function runChecks(
  checks: readonly DependencyCheck[],
  timeoutMs: number,
): Promise<DependencyStatus[]> {
  return Promise.all(
    checks.map(async ({ name, check }): Promise<DependencyStatus> => {
      const started = performance.now();
      const signal = AbortSignal.timeout(timeoutMs);
      const timedOut = new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () =>
          reject(new Error(`no answer within ${timeoutMs} ms`)),
        ),
      );
      try {
        await Promise.race([check(signal), timedOut]);
        return { name, status: 'ok', latencyMs: elapsed(started) };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { name, status: 'down', latencyMs: elapsed(started), error: message };
      }
    }),
  );
}

/**
 * A service's dependency checks and what they found last. /ready runs them
 * every time; a scrape of /metrics reuses a result younger than `maxAgeMs`
 * (so a service probed for readiness is not asked twice), else runs them,
 * once for any number of scrapes at the same moment.
 */
export class DependencyChecks {
  readonly #checks: () => readonly DependencyCheck[];
  readonly #timeoutMs: number;
  #latest:
    { at: number; checks: readonly DependencyCheck[]; statuses: DependencyStatus[] } | undefined;
  #running: Promise<DependencyStatus[]> | undefined;

  constructor(checks: HealthOptions['checks'], timeoutMs: number) {
    this.#checks = typeof checks === 'function' ? checks : () => checks;
    this.#timeoutMs = timeoutMs;
  }

  run(): Promise<DependencyStatus[]> {
    this.#running ??= (async () => {
      const checks = this.#checks();
      try {
        const statuses = await runChecks(checks, this.#timeoutMs);
        this.#latest = { at: performance.now(), checks, statuses };
        return statuses;
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  /** filegraph_dependency_up: 1 per dependency that answered its latest check, 0 per one that did not. */
  async metrics(maxAgeMs: number): Promise<string> {
    if (!this.#latest || performance.now() - this.#latest.at > maxAgeMs) await this.run();
    const lines = [
      '# HELP filegraph_dependency_up 1 when the dependency answered the latest readiness check, 0 when it did not',
      '# TYPE filegraph_dependency_up gauge',
    ];
    const { checks = [], statuses = [] } = this.#latest ?? {};
    for (const [index, check] of checks.entries()) {
      const status = statuses[index];
      const labels = `check="${check.name}",dependency="${check.dependency ?? check.name}"`;
      lines.push(`filegraph_dependency_up{${labels}} ${status?.status === 'ok' ? 1 : 0}`);
    }
    return lines.join('\n');
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

export interface HealthOptions {
  readonly service: string;
  readonly lifecycle: Lifecycle;
  /** What readiness checks; a function when the dependencies change at run time. */
  readonly checks: readonly DependencyCheck[] | (() => readonly DependencyCheck[]);
  /** More for /health and /ready to say (the gateway adds the supergraph's state). */
  readonly details?: () => Readonly<Record<string, unknown>>;
  /**
   * Whether /health and /ready say everything (HEALTH_DETAILS, where a service
   * reads it). When false, they answer anyone who reaches them with a status
   * only: no dependencies, no `details`, only `summary` (issue 19).
   * Default true: for services that only the rest of the system reaches.
   */
  readonly showDetails?: boolean;
  /** What /health and /ready still say when details are hidden (the gateway: its supergraph's status). */
  readonly summary?: () => Readonly<Record<string, unknown>>;
  readonly timeoutMs?: number;
}

/**
 * GET /health: liveness, cheap, answers while the process can serve at all.
 * GET /ready: readiness, 200 only when the service is in its ready phase and
 * every dependency answers, else 503 with what is wrong (when details show).
 */
export function healthRoutes(
  options: HealthOptions,
  dependencies = new DependencyChecks(options.checks, options.timeoutMs ?? 2_000),
): Router {
  const { service, lifecycle, details, summary } = options;
  const { showDetails = true } = options;
  const router = Router();
  /** What anyone may learn; with details hidden, all they learn (plus the summary). */
  const basics = (status: string) => ({
    status,
    service,
    version,
    phase: lifecycle.phase,
    uptimeSeconds: Math.round(lifecycle.uptimeSeconds),
  });
  router.get('/health', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({
      ...basics(lifecycle.phase === 'stopped' ? 'down' : 'ok'),
      ...(showDetails ? details?.() : summary?.()),
    });
  });
  router.get('/ready', async (_req, res) => {
    const statuses = await dependencies.run();
    const ready = lifecycle.phase === 'ready' && statuses.every((d) => d.status === 'ok');
    const status = ready ? 'ready' : 'not ready';
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(
        showDetails
          ? { status, service, phase: lifecycle.phase, dependencies: statuses, ...details?.() }
          : { ...basics(status), ...summary?.() },
      );
  });
  return router;
}
