import { cpus, freemem, hostname, loadavg, platform, totalmem } from 'node:os';
import { request } from '@filegraph/shared/httpClient';
import type { InternalTls } from '@filegraph/shared/tls';
import { version } from '@filegraph/shared/version';
import type {
  Check,
  HealthReport,
  HealthStatus,
  ServiceHealth,
  SupergraphState,
} from './HealthReport.ts';
import type { Instance, InstanceSource } from './instances.ts';
import { readRouterView, statsMeta, type RouterView } from './routerView.ts';
import { withoutDetails } from './withoutDetails.ts';

/** What an instance's GET /ready says, where it says it. */
interface Readiness {
  readonly dependencies?: ReadonlyArray<{
    name: string;
    status: string;
    latencyMs?: number;
    error?: string;
  }>;
  readonly supergraph?: Partial<SupergraphState> & Pick<SupergraphState, 'status'>;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** What a gateway's /ready says of its supergraph, with whatever it leaves out as unknown. */
const supergraphOf = (said: NonNullable<Readiness['supergraph']>): SupergraphState => ({
  status: said.status,
  composedAt: said.composedAt ?? null,
  subgraphs: said.subgraphs ?? null,
  error: said.error ?? null,
});

/**
 * An instance Consul and its own check call OK, but that the router does not
 * send requests to, adds no capacity: DEGRADED, saying what the router says.
 */
function routed(check: Check, instance: Instance, view: RouterView): Check {
  if (!instance.routed || check.status !== 'OK') return check;
  const status = view.statusOf(instance.service, instance.address, instance.port);
  // `UP 1/2`: a check failed, not yet enough to take it out; it still gets requests.
  if (status?.startsWith('UP')) return check;
  return {
    ...check,
    status: 'DEGRADED',
    error: status
      ? `the router has it ${status}, so it gets no requests`
      : 'the router does not route to it',
    reason: 'not routed',
  };
}
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
  readonly #details: boolean;
  readonly #tls: InternalTls | undefined;
  readonly #startedAt = Date.now();

  /** `details`: HEALTH_DETAILS; false keeps addresses, ids, the host and error texts out of the report. */
  constructor(
    source: InstanceSource,
    options: {
      timeoutMs: number;
      router: string | undefined;
      details: boolean;
      /** Internal TLS: subgraph instances are asked over HTTPS with our certificate. */
      tls?: InternalTls;
    },
  ) {
    this.#source = source;
    this.#timeoutMs = options.timeoutMs;
    this.#router = options.router;
    this.#details = options.details;
    this.#tls = options.tls;
  }

  /** `forAdmin`: an admin asks, who sees the details whatever HEALTH_DETAILS says. */
  async report(forAdmin = false): Promise<HealthReport> {
    const { instances, registry } = await this.#source.list(this.#timeoutMs);
    const [probes, view] = await Promise.all([
      Promise.all(instances.map((instance) => this.#probe(instance))),
      this.#routerView(instances),
    ]);
    const services = new Map<string, Check[]>();
    const dependencies = new Map<string, Check>();
    let supergraph: SupergraphState | null = null;
    for (const { instance, check: own, readiness } of probes) {
      const check = view.view ? routed(own, instance, view.view) : own;
      services.set(instance.service, [...(services.get(instance.service) ?? []), check]);
      if (readiness?.supergraph) supergraph ??= supergraphOf(readiness.supergraph);
      for (const dependency of readiness?.dependencies ?? []) {
        // Storage is everyone's: down for one instance is down.
        if (dependencies.get(dependency.name)?.status === 'DOWN' || instance.service === 'gateway')
          continue;
        dependencies.set(dependency.name, {
          name: dependency.name,
          status: dependency.status === 'ok' ? 'OK' : 'DOWN',
          latencyMs: dependency.latencyMs ?? null,
          error: dependency.error ?? null,
          reason: dependency.status === 'ok' ? undefined : 'not answering',
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
      const instance = serviceHealth.find((service) => service.name === this.#router);
      dependencies.set(`router (${this.#router})`, {
        name: `router (${this.#router})`,
        status: instance ? worst([instance.status, view.error ? 'DEGRADED' : 'OK']) : 'DOWN',
        latencyMs: null,
        error: instance ? (view.error ?? null) : `no ${this.#router} instance is registered`,
        reason: instance ? 'its view of the replicas is unreadable' : 'not registered',
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
    const report: HealthReport = {
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
    return this.#details || forAdmin ? report : withoutDetails(report);
  }

  /** What the router makes of the servers it routes to, from its first instance that says where its stats are. */
  async #routerView(
    instances: readonly Instance[],
  ): Promise<{ view?: RouterView; error?: string }> {
    if (!this.#router) return {};
    const stats = instances.find((i) => i.service === this.#router && i.meta[statsMeta])?.meta[
      statsMeta
    ];
    if (!stats) return {};
    try {
      return { view: await readRouterView(stats, this.#timeoutMs) };
    } catch (error) {
      return { error: `cannot read its view of the replicas: ${(error as Error).message}` };
    }
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
    const registryReason =
      consulSays === 'OK' ? undefined : `Consul check ${instance.registryStatus}`;
    if (!instance.readyUrl) {
      return {
        instance,
        check: {
          name: instance.id,
          status: consulSays,
          latencyMs: null,
          error: registryError,
          reason: registryReason,
          url: null,
        },
      };
    }
    const check = (status: HealthStatus, error: string | null, reason?: string): Check => ({
      name: instance.id,
      status: worst([status, consulSays]),
      latencyMs: round(performance.now() - started),
      error: error ?? registryError,
      reason: reason ?? registryReason,
      url: instance.readyUrl ?? null,
    });
    try {
      const answer = await request(instance.readyUrl, {
        signal: AbortSignal.timeout(this.#timeoutMs),
        agent:
          instance.agent ??
          (instance.readyUrl.startsWith('https:')
            ? this.#tls?.agentFor(instance.service)
            : undefined),
      });
      const readiness = JSON.parse(answer.text) as Readiness;
      return {
        instance,
        check: answer.ok
          ? check('OK', null)
          : check('DOWN', `not ready (HTTP ${answer.status})`, 'not ready'),
        readiness,
      };
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TimeoutError'
          ? `no answer within ${this.#timeoutMs} ms`
          : 'not answering';
      return { instance, check: check('DOWN', reason, 'not answering') };
    }
  }
}
