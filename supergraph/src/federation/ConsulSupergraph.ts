import { composeServices } from '@apollo/composition';
import type { SupergraphManager, SupergraphSdlHook } from '@apollo/gateway';
import type Consul from 'consul';
import { parse } from 'graphql';
import { parseHealthEntries, subgraphTag, type ConsulInstance } from '@filegraph/shared/consul';
import { httpOrigin } from '@filegraph/shared/http';
import type { Logger } from '@filegraph/shared/logger';
import type { InternalTls } from '@filegraph/shared/tls';
import { fetchSdl } from './fetchSdl.ts';
import type { CompositionState } from '@filegraph/shared/composition';
import type { SupergraphSource } from './SupergraphSource.ts';

interface Watcher {
  on(event: 'change', listener: (data: unknown) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  end(): void;
}

export interface ConsulSupergraphOptions {
  readonly consul: Consul;
  /** Consul service of the router in front of the replicas (HAProxy); undefined: call instances directly. */
  readonly router: string | undefined;
  /** Internal TLS: subgraphs and the router are called over HTTPS, and only instances that prove they hold the CA's certificate are used. */
  readonly tls?: InternalTls;
  /** What a request to subgraph `name` carries besides its body (the gateway's signed identity). */
  readonly headers: (name: string) => Record<string, string>;
  readonly logger: Logger;
  /** Changes arriving within this window are composed once. */
  readonly settleMs?: number;
}

/**
 * Consul's blocking queries wait this long for a change before answering
 * anyway: also how long a restarted agent (whose index starts again lower)
 * can take to be noticed.
 */
const blockingWait = '10s';
const blockingTimeout = '15s';

/**
 * A composition that could not reach every subgraph is tried again after
 * this, doubling up to retryMaxMs while it keeps failing. Short at first:
 * a subgraph that has just registered is only routed once HAProxy's checks
 * pass (1-2 s), and the gateway would otherwise wait a whole retryMaxMs.
 */
const retryFirstMs = 250;
const retryMaxMs = 2_000;

/**
 * At start, a supergraph without one of the subgraphs registered in Consul
 * is not served for up to this long: the router routes to new replicas only
 * once its checks pass (1-2 s), and a gateway that composed what answered
 * first was ready with part of the API (an upload then failed with
 * "Unknown type Upload"). After it, what answers is served, and the rest
 * joins when it answers.
 */
const wholeAtStartMs = 10_000;

/**
 * With internal TLS, an instance is used only once a handshake has shown it
 * holds the CA's certificate for its service; one that failed is asked again
 * after this (it may have been starting).
 */
const distrustMs = 5_000;
const handshakeTimeoutMs = 2_000;

/**
 * The supergraph as Consul sees it. Blocking queries (no polling) follow the
 * catalogue (which services carry the subgraph tag) and each subgraph's
 * instances. Any change recomposes: new subgraphs join, deregistered ones
 * leave, a new schema (its hash travels in the instances' meta) is fetched.
 * A subgraph's URL is the router's route for it when a router is configured,
 * else one of its passing instances. When a composition fails, or Consul
 * is unreachable or answers garbage, the last good supergraph keeps serving
 * and the state says why.
 */
export class ConsulSupergraph implements SupergraphManager, SupergraphSource {
  readonly #options: ConsulSupergraphOptions;
  readonly #logger: Logger;
  readonly #watchers = new Map<string, Watcher>();
  readonly #instances = new Map<string, ConsulInstance[]>();
  /** Schema text by subgraph name and schema hash: unchanged schemas are not fetched again. */
  readonly #schemas = new Map<string, { hash: string; sdl: string }>();
  #subgraphNames: string[] = [];
  #urls = new Map<string, string>();
  #state: CompositionState = {
    status: 'waiting',
    composedAt: null,
    subgraphs: [],
    error: null,
    consul: { reachable: false, error: null },
  };
  #supergraphSdl: string | undefined;
  #update: ((sdl: string) => void) | undefined;
  #firstComposed: PromiseWithResolvers<string> = Promise.withResolvers();
  #settle: NodeJS.Timeout | undefined;
  #retry: NodeJS.Timeout | undefined;
  #retryMs = retryFirstMs;
  #composing: Promise<void> = Promise.resolve();
  #consulFailing = false;
  /** Handshake results by address:port, with internal TLS. */
  readonly #proven = new Map<string, { ok: boolean; at: number } | 'asking'>();
  readonly #startedAt = performance.now();

  constructor(options: ConsulSupergraphOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: 'discovery' });
  }

  get state(): CompositionState {
    return this.#state;
  }

  urlOf(name: string): string | undefined {
    return this.#urls.get(name);
  }

  expected(): readonly string[] {
    return this.#subgraphNames.filter((name) => (this.#instances.get(name) ?? []).length > 0);
  }

  async initialize({ update }: Parameters<SupergraphSdlHook>[0]): Promise<{
    supergraphSdl: string;
    cleanup: () => Promise<void>;
  }> {
    const { consul } = this.#options;
    this.#watch('catalog', consul.catalog.service.list.bind(consul.catalog.service), {}, (data) => {
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        throw new Error('Consul answered a service list that is not an object');
      }
      const names = Object.entries(data as Record<string, unknown>)
        .filter(([, tags]) => Array.isArray(tags) && tags.includes(subgraphTag))
        .map(([name]) => name)
        .sort();
      this.#followServices(names);
    });
    const supergraphSdl = await this.#firstComposed.promise;
    this.#update = update;
    return { supergraphSdl, cleanup: async () => this.stop() };
  }

  stop(): void {
    clearTimeout(this.#settle);
    clearTimeout(this.#retry);
    for (const watcher of this.#watchers.values()) watcher.end();
    this.#watchers.clear();
  }

  /** Follows the instances of these subgraphs (and of the router), and stops following the rest. */
  #followServices(names: string[]): void {
    this.#subgraphNames = names;
    const wanted = new Set(names);
    if (this.#options.router) wanted.add(this.#options.router);
    for (const [key, watcher] of this.#watchers) {
      const name = key.replace(/^service:/, '');
      if (key !== 'catalog' && !wanted.has(name)) {
        watcher.end();
        this.#watchers.delete(key);
        this.#instances.delete(name);
      }
    }
    const { consul } = this.#options;
    for (const name of wanted) {
      if (this.#watchers.has(`service:${name}`)) continue;
      this.#watch(
        `service:${name}`,
        consul.health.service.bind(consul.health),
        { service: name },
        (data) => {
          this.#instances.set(name, parseHealthEntries(data));
        },
      );
    }
    this.#scheduleComposition();
  }

  #watch(
    key: string,
    method: (options: never) => Promise<unknown>,
    options: object,
    onChange: (data: unknown) => void,
  ): void {
    const watcher = this.#options.consul.watch({
      method,
      // The client's default timeout is for short requests; a blocking one waits `wait`, plus slack.
      options: { ...options, wait: blockingWait, timeout: blockingTimeout },
      backoffFactor: 100,
      backoffMax: 5_000,
    }) as Watcher;
    watcher.on('change', (data) => {
      try {
        onChange(data);
        this.#consulAnswers();
        this.#scheduleComposition();
      } catch (error) {
        this.#consulFails(error);
      }
    });
    watcher.on('error', (error) => this.#consulFails(error));
    this.#watchers.set(key, watcher);
  }

  #consulAnswers(): void {
    if (this.#consulFailing) this.#logger.info('Consul answers again');
    this.#consulFailing = false;
    this.#state = { ...this.#state, consul: { reachable: true, error: null } };
  }

  #consulFails(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (!this.#consulFailing) {
      this.#logger.warn('cannot follow Consul; serving the last good supergraph meanwhile', {
        err: error,
      });
    }
    this.#consulFailing = true;
    this.#state = { ...this.#state, consul: { reachable: false, error: message } };
  }

  #scheduleComposition(): void {
    clearTimeout(this.#settle);
    this.#settle = setTimeout(() => {
      this.#composing = this.#composing.then(() => this.#compose());
    }, this.#options.settleMs ?? 100);
  }

  /** The URL the gateway sends `name`'s requests to, or undefined while there is none. */
  #urlFor(name: string, instances: readonly ConsulInstance[]): string | undefined {
    const path = instances[0]?.meta.graphql_path ?? '/graphql';
    const secure = this.#options.tls !== undefined;
    const router = this.#options.router;
    if (router) {
      const route = this.#provenFirst(router, this.#instances.get(router) ?? []);
      // Without a router that answers, the last route stays: the gateway never bypasses the router.
      return route
        ? `${httpOrigin(route.address, route.port, secure)}/${name}${path}`
        : this.#urls.get(name);
    }
    const instance = this.#provenFirst(name, instances);
    return instance && `${httpOrigin(instance.address, instance.port, secure)}${path}`;
  }

  /**
   * The first passing instance of `service`; with internal TLS, the first
   * that has shown the CA's certificate naming `service`. Anyone holding a
   * Consul token could register an instance; only our services hold
   * certificates. Instances not yet asked are asked now, and composition
   * runs again when they answer.
   */
  #provenFirst(service: string, instances: readonly ConsulInstance[]): ConsulInstance | undefined {
    const tls = this.#options.tls;
    const candidates = passingFirst(instances);
    if (!tls) return candidates[0];
    for (const instance of candidates) {
      const key = `${instance.address}:${instance.port}`;
      const known = this.#proven.get(key);
      if (known === 'asking') continue;
      if (known?.ok) return instance;
      if (known && performance.now() - known.at < distrustMs) continue;
      this.#proven.set(key, 'asking');
      tls.verifyPeer(instance.address, instance.port, service, handshakeTimeoutMs).then(
        () => {
          this.#proven.set(key, { ok: true, at: performance.now() });
          this.#scheduleComposition();
        },
        (error: unknown) => {
          this.#proven.set(key, { ok: false, at: performance.now() });
          this.#logger.warn(
            'an instance registered in Consul did not show our certificate; not used',
            {
              service,
              instance: instance.id,
              err: error,
            },
          );
          this.#retryLater();
        },
      );
    }
    return undefined;
  }

  async #compose(): Promise<void> {
    clearTimeout(this.#retry);
    const definitions: Array<{ name: string; url: string; sdl: string }> = [];
    const problems: string[] = [];
    const urls = new Map<string, string>();
    for (const name of this.#subgraphNames) {
      const instances = this.#instances.get(name) ?? [];
      if (instances.length === 0) continue;
      const url = this.#urlFor(name, instances);
      if (!url) {
        problems.push(`${name}: no route to it yet`);
        continue;
      }
      urls.set(name, url);
      const hash = passingFirst(instances)[0]?.meta.schema_sha256 ?? '';
      const known = this.#schemas.get(name);
      if (known && hash !== '' && known.hash === hash) {
        definitions.push({ name, url, sdl: known.sdl });
        continue;
      }
      try {
        const sdl = await fetchSdl(
          url,
          this.#options.headers(name),
          this.#options.tls?.agentFor(this.#options.router ?? name),
        );
        this.#schemas.set(name, { hash, sdl });
        definitions.push({ name, url, sdl });
      } catch (error) {
        // An instance that cannot answer right now keeps the schema it had.
        if (known) definitions.push({ name, url, sdl: known.sdl });
        problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (
      problems.length > 0 &&
      !this.#supergraphSdl &&
      performance.now() - this.#startedAt < wholeAtStartMs
    ) {
      this.#logger.info('waiting for every registered subgraph before the first supergraph', {
        problems,
      });
      this.#state = { ...this.#state, error: problems.join('; ') };
      this.#retryLater();
      return;
    }
    if (definitions.length === 0) {
      this.#fail(
        problems.length > 0 ? problems.join('; ') : 'no subgraph is registered in Consul yet',
      );
      return;
    }
    const result = composeServices(
      definitions.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })),
    );
    if (result.errors) {
      this.#fail(`composition failed: ${result.errors.map((error) => error.message).join('; ')}`);
      return;
    }
    this.#urls = urls;
    const subgraphs = definitions.map(({ name, url }) => {
      const instances = this.#instances.get(name) ?? [];
      return {
        name,
        url,
        instances: instances.length,
        passing: instances.filter((i) => i.status === 'passing').length,
      };
    });
    if (result.supergraphSdl === this.#supergraphSdl) {
      this.#state = {
        ...this.#state,
        status: 'composed',
        subgraphs,
        error: problems.length > 0 ? problems.join('; ') : null,
      };
      this.#retryAfterProblems(problems);
      return;
    }
    try {
      this.#update?.(result.supergraphSdl);
    } catch (error) {
      this.#fail(
        `the gateway refused the new supergraph: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    this.#supergraphSdl = result.supergraphSdl;
    this.#state = {
      ...this.#state,
      status: 'composed',
      composedAt: new Date().toISOString(),
      subgraphs,
      error: problems.length > 0 ? problems.join('; ') : null,
    };
    this.#logger.info('supergraph composed', {
      subgraphs: subgraphs.map((s) => `${s.name}@${s.url}`),
    });
    this.#firstComposed.resolve(result.supergraphSdl);
    this.#retryAfterProblems(problems);
  }

  #retryAfterProblems(problems: readonly string[]): void {
    if (problems.length > 0) this.#retryLater();
    else this.#retryMs = retryFirstMs;
  }

  /** A subgraph that could not answer may next time, with no change in Consul to say so: try again. */
  #retryLater(): void {
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => this.#scheduleComposition(), this.#retryMs);
    this.#retryMs = Math.min(this.#retryMs * 2, retryMaxMs);
  }

  #fail(error: string): void {
    this.#logger.error(
      this.#supergraphSdl
        ? 'new supergraph not composed; the last good one keeps serving'
        : 'no supergraph yet',
      {
        error,
      },
    );
    this.#state = { ...this.#state, status: this.#supergraphSdl ? 'stale' : 'waiting', error };
    this.#retryLater();
  }
}

function passingFirst(instances: readonly ConsulInstance[]): ConsulInstance[] {
  const order = { passing: 0, warning: 1, critical: 2 };
  return [...instances].sort(
    (a, b) => order[a.status] - order[b.status] || a.id.localeCompare(b.id),
  );
}
