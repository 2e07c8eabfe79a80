import { Router } from 'express';
import type { Lifecycle } from './lifecycle.ts';
import { version } from './version.ts';

/** One thing a service depends on, and how to tell whether it answers. */
export interface DependencyCheck {
  readonly name: string;
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
export function healthRoutes(options: HealthOptions): Router {
  const { service, lifecycle, checks, details, summary } = options;
  const { showDetails = true, timeoutMs = 2_000 } = options;
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
    const dependencies = await runChecks(
      typeof checks === 'function' ? checks() : checks,
      timeoutMs,
    );
    const ready = lifecycle.phase === 'ready' && dependencies.every((d) => d.status === 'ok');
    const status = ready ? 'ready' : 'not ready';
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(
        showDetails
          ? { status, service, phase: lifecycle.phase, dependencies, ...details?.() }
          : { ...basics(status), ...summary?.() },
      );
  });
  return router;
}
