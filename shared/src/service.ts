import type { RequestListener } from 'node:http';
import { listen, type Lifecycle, type Running } from './lifecycle.ts';
import type { Logger } from './logger.ts';

/** What every service (gateway and subgraphs) gives the runner. */
export interface Service {
  readonly name: string;
  readonly app: RequestListener;
  readonly lifecycle: Lifecycle;
  /** Runs once the port is open: connect to dependencies. Liveness answers meanwhile. */
  start(): Promise<void>;
  /** Runs once no request is in flight any more: release dependencies. */
  stop(): Promise<void>;
}

export interface Served extends Running {
  readonly url: string;
  readonly port: number;
}

/**
 * Start: listen → service.start() → ready. Stop: draining (readiness says
 * no) → stop taking connections and let requests in flight finish →
 * service.stop() → stopped.
 */
export async function serve(
  service: Service,
  options: { host: string; port: number; logger: Logger; drainMs?: number },
): Promise<Served> {
  const http = await listen(service.app, { ...options, name: service.name });
  try {
    await service.start();
  } catch (error) {
    await http.close(0);
    throw error;
  }
  service.lifecycle.enter('ready');
  options.logger.info('ready', { service: service.name, url: http.url });
  return {
    url: http.url,
    port: http.port,
    async stop() {
      service.lifecycle.enter('draining');
      await http.close(options.drainMs);
      await service.stop();
      service.lifecycle.enter('stopped');
    },
  };
}
