import type express from 'express';
import { DependencyChecks, healthRoutes, type HealthOptions } from './health.ts';
import { createApp, requestLog } from './http.ts';
import { silentLogger, type Logger } from './logger.ts';
import { Metrics } from './metrics.ts';

/**
 * A scrape reuses a readiness result younger than this, well under
 * Prometheus's scrape interval (10 s in ops/prometheus): dependencies are
 * asked at most once per scrape, and not at all when /ready has just asked.
 */
const dependencyResultMaxAgeMs = 5_000;

/**
 * The Express app every service starts from: request ids, a log line per
 * request, request metrics, GET /metrics, GET /health (liveness) and
 * GET /ready (readiness). The service adds its own routes after these.
 */
export function serviceApp(
  health: HealthOptions,
  /** Where the line per request goes; tests that do not read it leave it out. */
  logger: Logger = silentLogger,
): { app: express.Express; metrics: Metrics } {
  const app = createApp();
  app.use(requestLog(logger));
  const metrics = new Metrics(health.service);
  const dependencies = new DependencyChecks(health.checks, health.timeoutMs ?? 2_000);
  metrics.collect(() => dependencies.metrics(dependencyResultMaxAgeMs));
  app.use(metrics.httpMiddleware());
  app.use(metrics.routes());
  app.use(healthRoutes(health, dependencies));
  return { app, metrics };
}
