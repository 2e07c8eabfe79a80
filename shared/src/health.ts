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
  readonly timeoutMs?: number;
}

/**
 * GET /health: liveness, cheap, answers while the process can serve at all.
 * GET /ready: readiness, 200 only when the service is in its ready phase and
 * every dependency answers, else 503 with what is wrong.
 */
export function healthRoutes(options: HealthOptions): Router {
  const { service, lifecycle, checks, details, timeoutMs = 2_000 } = options;
  const router = Router();
  router.get('/health', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({
      status: lifecycle.phase === 'stopped' ? 'down' : 'ok',
      service,
      version,
      phase: lifecycle.phase,
      uptimeSeconds: Math.round(lifecycle.uptimeSeconds),
      ...details?.(),
    });
  });
  router.get('/ready', async (_req, res) => {
    const dependencies = await runChecks(
      typeof checks === 'function' ? checks() : checks,
      timeoutMs,
    );
    const ready = lifecycle.phase === 'ready' && dependencies.every((d) => d.status === 'ok');
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({
        status: ready ? 'ready' : 'not ready',
        service,
        phase: lifecycle.phase,
        dependencies,
        ...details?.(),
      });
  });
  return router;
}
