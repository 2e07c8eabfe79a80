import type { RequestListener, Server } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as TlsOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { answerClientErrors } from './clientErrors.ts';
import { http } from './nodeHttp.ts';
import { httpOrigin } from './http.ts';
import type { Logger } from './logger.ts';

/**
 * A service's life: starting → ready → draining → stopped. Readiness reports
 * false outside `ready`, so a load balancer stops sending work before the
 * process stops taking it.
 */
export type Phase = 'starting' | 'ready' | 'draining' | 'stopped';

export class Lifecycle {
  #phase: Phase = 'starting';
  readonly startedAt = Date.now();

  get phase(): Phase {
    return this.#phase;
  }

  enter(phase: Phase): void {
    this.#phase = phase;
  }

  get uptimeSeconds(): number {
    return (Date.now() - this.startedAt) / 1000;
  }
}

export interface HttpServer {
  readonly server: Server;
  readonly port: number;
  /** Base URL for clients on this machine, e.g. http://127.0.0.1:4001. */
  readonly url: string;
  /** Stops accepting, lets requests in flight finish (up to `drainMs`), then closes. */
  close(drainMs?: number): Promise<void>;
}

export async function listen(
  handler: RequestListener,
  options: {
    host: string;
    port: number;
    logger: Logger;
    name: string;
    requestTimeout: number;
    /** HTTPS with these (internal TLS: InternalTls.server); else plain HTTP. */
    tls?: TlsOptions;
  },
): Promise<HttpServer> {
  const { tls } = options;
  const create = tls
    ? (settings: TlsOptions, listener: RequestListener) =>
        createHttpsServer({ ...tls, ...settings }, listener)
    : http.createServer;
  const server = create(
    {
      // A whole request, body included (REQUEST_TIMEOUT): long, for large
      // uploads over slow links; an upload that stops moving is cut sooner
      // by the upload reader's idle timeout.
      requestTimeout: options.requestTimeout,
      // Headers must arrive quickly: a client trickling them in holds a
      // connection for nothing. (Node wants this no longer than requestTimeout.)
      headersTimeout:
        options.requestTimeout > 0 ? Math.min(10_000, options.requestTimeout) : 10_000,
      keepAliveTimeout: 65_000,
    },
    handler,
  );
  answerClientErrors(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const url = httpOrigin(host, port, tls !== undefined);
  options.logger.info('listening', { name: options.name, url, port });

  let closing: Promise<void> | undefined;
  return {
    server,
    port,
    url,
    close(drainMs = 10_000) {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), drainMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

export interface Running {
  stop(): Promise<void>;
}

/**
 * Entry-point helper: starts a service, then stops it once on SIGTERM or
 * SIGINT (a second signal exits at once). Exits 1 when start-up fails.
 * `closeLogs` (ServiceLogger.close, bounded) runs before each exit, so the
 * last lines, start-up failures included, still reach VictoriaLogs.
 */
export async function runUntilSignalled(
  logger: Logger,
  start: () => Promise<Running>,
  closeLogs: () => Promise<void> = async () => {},
): Promise<void> {
  const exit = (code: number) => void closeLogs().finally(() => process.exit(code));
  let running: Running;
  try {
    running = await start();
  } catch (error) {
    logger.error('start-up failed', { err: error });
    await closeLogs();
    process.exit(1);
  }
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn('second signal: exiting without draining', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info('stopping', { signal });
    running.stop().then(
      () => exit(0),
      (error: unknown) => {
        logger.error('stop failed', { err: error });
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
