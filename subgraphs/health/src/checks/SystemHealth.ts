import { cpus, freemem, hostname, loadavg, platform, totalmem } from 'node:os';
import { version } from '@filegraph/shared/version';

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
}

/** One running instance of a subgraph service, with its GraphQL URL. */
export interface Instance {
  readonly service: string;
  readonly id: string;
  readonly url: string;
}

interface Readiness {
  readonly dependencies?: ReadonlyArray<{
    name: string;
    status: string;
    latencyMs?: number;
    error?: string;
  }>;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Checks every instance of every service through its readiness endpoint,
 * which in turn checks what that instance depends on (storage for files),
 * and folds the answers into one report.
 */
export class SystemHealth {
  readonly #instances: () => Promise<readonly Instance[]>;
  readonly #timeoutMs: number;
  readonly #startedAt = Date.now();

  constructor(instances: () => Promise<readonly Instance[]>, timeoutMs: number) {
    this.#instances = instances;
    this.#timeoutMs = timeoutMs;
  }

  async report(): Promise<HealthReport> {
    const instances = await this.#instances();
    const probes = await Promise.all(instances.map((instance) => this.#probe(instance)));
    const services = new Map<string, Check[]>();
    const dependencies = new Map<string, Check>();
    for (const { instance, check, readiness } of probes) {
      services.set(instance.service, [...(services.get(instance.service) ?? []), check]);
      for (const dependency of readiness?.dependencies ?? []) {
        const seen = dependencies.get(dependency.name);
        // Down for one instance is down: report the worst answer.
        if (seen && seen.status === 'DOWN') continue;
        dependencies.set(dependency.name, {
          name: dependency.name,
          status: dependency.status === 'ok' ? 'OK' : 'DOWN',
          latencyMs: dependency.latencyMs ?? null,
          error: dependency.error ?? null,
          url: null,
        });
      }
    }
    const serviceHealth = [...services].map(([name, checks]): ServiceHealth => {
      const up = checks.filter((c) => c.status === 'OK').length;
      return {
        name,
        status: up === checks.length ? 'OK' : up > 0 ? 'DEGRADED' : 'DOWN',
        instances: checks,
      };
    });
    const all: HealthStatus[] = [
      ...serviceHealth.map((s) => s.status),
      ...[...dependencies.values()].map((d) => d.status),
    ];
    const memory = process.memoryUsage();
    return {
      status: all.includes('DOWN') ? 'DOWN' : all.includes('DEGRADED') ? 'DEGRADED' : 'OK',
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
    };
  }

  async #probe(
    instance: Instance,
  ): Promise<{ instance: Instance; check: Check; readiness?: Readiness }> {
    const url = new URL('/ready', instance.url).href;
    const started = performance.now();
    const check = (status: HealthStatus, error: string | null): Check => ({
      name: instance.id,
      status,
      latencyMs: round(performance.now() - started),
      error,
      url,
    });
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.#timeoutMs) });
      const readiness = (await response.json()) as Readiness;
      const ok = response.ok;
      return {
        instance,
        check: check(ok ? 'OK' : 'DOWN', ok ? null : `not ready (HTTP ${response.status})`),
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
