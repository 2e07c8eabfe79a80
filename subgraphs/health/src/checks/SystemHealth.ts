import { cpus, freemem, hostname, loadavg, platform, totalmem } from 'node:os';
import type { CompositionState } from '@filegraph/shared/composition';
import { request } from '@filegraph/shared/httpClient';
import { version } from '@filegraph/shared/version';
import type { Instance, InstanceSource } from './instances.ts';

export type HealthStatus = 'OK' | 'DEGRADED' | 'DOWN';

export interface Check {
  readonly name: string;
  readonly status: HealthStatus;
  readonly latencyMs: number | null;
  readonly error: string | null;
  readonly url: string | null;
}

export interface ServiceHealth {
  readonly name: string;
  readonly status: HealthStatus;
  readonly instances: readonly Check[];
}

export type SupergraphState = Omit<CompositionState, 'consul'>;

export interface HealthReport {
  readonly status: HealthStatus;
  readonly version: string;
  readonly uptimeSeconds: number;
  readonly checkedAt: string;
  readonly host: {
    hostname: string;
    platform: string;
    cpus: number;
    loadAverage: number[];
    memory: { totalBytes: number; freeBytes: number };
  };
  readonly process: { rssBytes: number; heapUsedBytes: number };
  readonly dependencies: readonly Check[];
  readonly services: readonly ServiceHealth[];
  readonly supergraph: SupergraphState | null;
}

/** What an instance's GET /ready says, where it says it. */
interface Readiness {
  readonly dependencies?: ReadonlyArray<{
    name: string;
    status: string;
    latencyMs?: number;
    error?: string;
  }>;
  readonly supergraph?: SupergraphState;
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const worst = (statuses: readonly HealthStatus[]): HealthStatus =>
  statuses.includes('DOWN') ? 'DOWN' : statuses.includes('DEGRADED') ? 'DEGRADED' : 'OK';

/**
 * The whole system, checked now: every instance of every service (what
 * Consul says of it, and whether it answers its own readiness check), what
 * they depend on (storage, Consul, the router) and the supergraph's state.
 */
export class SystemHealth {
  readonly #source: InstanceSource;
  readonly #timeoutMs: number;
  readonly #router: string | undefined;
  readonly #startedAt = Date.now();

  constructor(source: InstanceSource, options: { timeoutMs: number; router: string | undefined }) {
    this.#source = source;
    this.#timeoutMs = options.timeoutMs;
    this.#router = options.router;
  }

  async report(): Promise<HealthReport> {
    const { instances, registry } = await this.#source.list(this.#timeoutMs);
    const probes = await Promise.all(instances.map((instance) => this.#probe(instance)));
    const services = new Map<string, Check[]>();
    const dependencies = new Map<string, Check>();
    let supergraph: SupergraphState | null = null;
    for (const { instance, check, readiness } of probes) {
      services.set(instance.service, [...(services.get(instance.service) ?? []), check]);
      supergraph ??= readiness?.supergraph ?? null;
      for (const dependency of readiness?.dependencies ?? []) {
        // Storage is everyone's: down for one instance is down.
        if (dependencies.get(dependency.name)?.status === 'DOWN' || instance.service === 'gateway')
          continue;
        dependencies.set(dependency.name, {
          name: dependency.name,
          status: dependency.status === 'ok' ? 'OK' : 'DOWN',
          latencyMs: dependency.latencyMs ?? null,
          error: dependency.error ?? null,
          url: null,
        });
      }
    }
    if (registry) dependencies.set(registry.name, registry);
    const serviceHealth = [...services].map(([name, checks]): ServiceHealth => {
      const up = checks.filter((c) => c.status === 'OK').length;
      return {
        name,
        status: up === checks.length ? 'OK' : up > 0 ? 'DEGRADED' : 'DOWN',
        instances: checks,
      };
    });
    if (this.#router) {
      const router = serviceHealth.find((service) => service.name === this.#router);
      dependencies.set(`router (${this.#router})`, {
        name: `router (${this.#router})`,
        status: router?.status ?? 'DOWN',
        latencyMs: null,
        error: router ? null : `no ${this.#router} instance is registered`,
        url: null,
      });
    }
    const composition: HealthStatus =
      supergraph === null
        ? 'OK'
        : supergraph.status === 'composed'
          ? 'OK'
          : supergraph.status === 'stale'
            ? 'DEGRADED'
            : 'DOWN';
    const overall = worst([
      ...serviceHealth.map((s) => s.status),
      ...[...dependencies.values()].map((d) =>
        d.name === registry?.name && d.status === 'DOWN' ? 'DEGRADED' : d.status,
      ),
      composition,
    ]);
    const memory = process.memoryUsage();
    return {
      status: overall,
      version,
      uptimeSeconds: Math.round((Date.now() - this.#startedAt) / 1000),
      checkedAt: new Date().toISOString(),
      host: {
        hostname: hostname(),
        platform: `${platform()} ${process.arch}`,
        cpus: cpus().length,
        loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
        memory: { totalBytes: totalmem(), freeBytes: freemem() },
      },
      process: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
      dependencies: [...dependencies.values()],
      services: serviceHealth,
      supergraph,
    };
  }

  /**
   * An instance is OK when its registry check passes (if it has one) and it
   * answers its own readiness check (if it has one: ours do, the router's
   * health is what Consul checks).
   */
  async #probe(
    instance: Instance,
  ): Promise<{ instance: Instance; check: Check; readiness?: Readiness }> {
    const started = performance.now();
    const consulSays =
      instance.registryStatus === 'critical'
        ? 'DOWN'
        : instance.registryStatus === 'warning'
          ? 'DEGRADED'
          : 'OK';
    const registryError =
      consulSays === 'OK'
        ? null
        : `Consul: ${instance.registryStatus}${instance.registryOutput ? ` (${instance.registryOutput.slice(0, 200)})` : ''}`;
    if (!instance.readyUrl) {
      return {
        instance,
        check: {
          name: instance.id,
          status: consulSays,
          latencyMs: null,
          error: registryError,
          url: null,
        },
      };
    }
    const check = (status: HealthStatus, error: string | null): Check => ({
      name: instance.id,
      status: worst([status, consulSays]),
      latencyMs: round(performance.now() - started),
      error: error ?? registryError,
      url: instance.readyUrl ?? null,
    });
    try {
      const answer = await request(instance.readyUrl, {
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      const readiness = JSON.parse(answer.text) as Readiness;
      return {
        instance,
        check: check(
          answer.ok ? 'OK' : 'DOWN',
          answer.ok ? null : `not ready (HTTP ${answer.status})`,
        ),
        readiness,
      };
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TimeoutError'
          ? `no answer within ${this.#timeoutMs} ms`
          : 'not answering';
      return { instance, check: check('DOWN', reason) };
    }
  }
}
