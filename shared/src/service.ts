import { createHash } from 'node:crypto';
import type { RequestListener } from 'node:http';
import type { ServerOptions as TlsServerOptions } from 'node:https';
import type Consul from 'consul';
import { advertisedAddress } from './consul/advertisedAddress.ts';
import { consulClient, subgraphTag } from './consul/consulClient.ts';
import { Registration } from './consul/Registration.ts';
import { manageMemory } from './garbage.ts';
import { listen, type HttpServer, type Lifecycle, type Running } from './lifecycle.ts';
import type { Logger } from './logger.ts';
import type { InternalTls } from './tls/internalTls.ts';
import { version } from './version.ts';

/** What every service (gateway and subgraphs) gives the runner. */
export interface Service {
  readonly name: string;
  readonly app: RequestListener;
  readonly lifecycle: Lifecycle;
  /** How it appears in Consul when Consul is used. */
  readonly registration: {
    readonly tags: readonly string[];
    readonly meta: Readonly<Record<string, string>>;
  };
  /** HTTPS for people's browsers (the gateway's TLS_CERT and TLS_KEY); unset: plain HTTP, or internal TLS (ServeOptions.tls). */
  readonly publicTls?: PublicTls | undefined;
  /** Runs once the port is open: connect to dependencies. Liveness answers meanwhile. */
  start(): Promise<void>;
  /** Runs once no request is in flight any more: release dependencies. */
  stop(): Promise<void>;
}

/** HTTPS with a certificate people's browsers trust; unlike internal TLS, no client certificate is asked for. */
export interface PublicTls {
  /** For https.createServer: the certificate (chain) and its key. */
  readonly server: TlsServerOptions;
  /** A plain-HTTP port (HTTP_REDIRECT_PORT) answered by `listener`, given the HTTPS port; unset: none. */
  readonly redirect:
    { readonly port: number; listener(httpsPort: number): RequestListener } | undefined;
}

/**
 * How a subgraph appears in Consul: tagged for the gateway to compose, with
 * the path of its GraphQL endpoint and a hash of its schema, so a new schema
 * shows in Consul and the gateway recomposes without polling anything.
 */
export function subgraphRegistration(schema: string): Service['registration'] {
  return {
    tags: [subgraphTag],
    meta: {
      graphql_path: '/graphql',
      schema_sha256: createHash('sha256').update(schema).digest('hex'),
      version,
    },
  };
}

export interface Served extends Running {
  readonly url: string;
  readonly port: number;
  /** This instance in Consul, when Consul is used. */
  readonly registration: Registration | undefined;
}

/** The registration settings every service reads (see settings.ts). */
export interface ConsulSettings {
  readonly consulHttpAddr: URL | undefined;
  readonly consulHttpToken: string | undefined;
  readonly serviceAddress: string | undefined;
  readonly checkInterval: number;
  readonly deregisterAfter: number;
  readonly shutdownDelay: number;
}

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  /** Longest a client may take to send one request (REQUEST_TIMEOUT). */
  readonly requestTimeout: number;
  readonly logger: Logger;
  readonly drainMs?: number;
  /** Registers the instance in Consul when CONSUL_HTTP_ADDR is set. */
  readonly consul?: ConsulSettings;
  /** Serve HTTPS to holders of the internal CA's certificates only (INTERNAL_TLS_DIR). */
  readonly tls?: InternalTls;
}

/**
 * Start: listen → service.start() → register in Consul (in the background:
 * a Consul outage never stops a service from serving) → ready.
 * Stop: draining (readiness says no) → deregister → keep serving for
 * SHUTDOWN_DELAY while routers notice → stop taking connections and let
 * requests in flight finish → service.stop() → stopped.
 */
export async function serve(service: Service, options: ServeOptions): Promise<Served> {
  const { logger } = options;
  const http = await listen(service.app, {
    ...options,
    name: service.name,
    tls: service.publicTls?.server ?? options.tls?.server,
  });
  const redirect = service.publicTls?.redirect;
  let redirecting: HttpServer | undefined;
  try {
    if (redirect)
      redirecting = await listen(redirect.listener(http.port), {
        ...options,
        port: redirect.port,
        name: `${service.name} redirect to https`,
        tls: undefined,
      });
    await service.start();
  } catch (error) {
    await Promise.all([http.close(0), redirecting?.close(0)]);
    throw error;
  }
  const consul = options.consul;
  let client: Consul | undefined;
  if (consul?.consulHttpAddr) client = consulClient(consul.consulHttpAddr, consul.consulHttpToken);
  const registration =
    consul && client
      ? new Registration({
          consul: client,
          service: service.name,
          address: advertisedAddress(consul.serviceAddress, options.host),
          port: http.port,
          tags: service.registration.tags,
          meta: service.registration.meta,
          checkInterval: consul.checkInterval,
          tls: options.tls !== undefined,
          deregisterAfter: consul.deregisterAfter,
          logger,
        })
      : undefined;
  registration?.start();
  const stopCollecting = manageMemory();
  service.lifecycle.enter('ready');
  logger.info('ready', { service: service.name, url: http.url });
  return {
    url: http.url,
    port: http.port,
    registration,
    async stop() {
      service.lifecycle.enter('draining');
      if (registration) {
        await registration.stop();
        if (consul?.shutdownDelay) {
          logger.info('deregistered; serving on while routers notice', {
            ms: consul.shutdownDelay,
          });
          await new Promise((resolve) => setTimeout(resolve, consul.shutdownDelay));
        }
      }
      await Promise.all([http.close(options.drainMs), redirecting?.close(0)]);
      stopCollecting();
      await service.stop();
      service.lifecycle.enter('stopped');
    },
  };
}
