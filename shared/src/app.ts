import type express from 'express';
import { healthRoutes, type HealthOptions } from './health.ts';
import { createApp } from './http.ts';
import { Metrics } from './metrics.ts';

/**
 * The Express app every service starts from: request ids, request metrics,
 * GET /metrics, GET /health (liveness) and GET /ready (readiness). The
 * service adds its own routes after these.
 */
export function serviceApp(health: HealthOptions): { app: express.Express; metrics: Metrics } {
  const app = createApp();
  const metrics = new Metrics(health.service);
  app.use(metrics.httpMiddleware());
  app.use(metrics.routes());
  app.use(healthRoutes(health));
  return { app, metrics };
}
