import type { CompositionState } from '@filegraph/shared/composition';

// The report's shape, in a module of its own: SystemHealth builds it, instances
// and withoutDetails use parts of it, and none of them imports another for types (issue 15).

export type HealthStatus = 'OK' | 'DEGRADED' | 'DOWN';

export interface Check {
  readonly name: string;
  readonly status: HealthStatus;
  readonly latencyMs: number | null;
  readonly error: string | null;
  /** What `error` becomes when details are hidden: a few fixed words that name no address (issue 19). */
  readonly reason?: string;
  readonly url: string | null;
}

export interface ServiceHealth {
  readonly name: string;
  readonly status: HealthStatus;
  readonly instances: readonly Check[];
}

/** The gateway's supergraph as its /ready tells it: all of it, or (details hidden) its status only. */
export interface SupergraphState {
  readonly status: CompositionState['status'];
  readonly composedAt: string | null;
  /** null: the gateway does not say (its HEALTH_DETAILS is off). */
  readonly subgraphs: ReadonlyArray<{
    name: string;
    url: string | null;
    instances: number;
    passing: number;
  }> | null;
  readonly error: string | null;
}

export interface HealthReport {
  readonly status: HealthStatus;
  readonly version: string;
  readonly uptimeSeconds: number;
  readonly checkedAt: string;
  /** null when details are hidden, like `process`. */
  readonly host: {
    hostname: string;
    platform: string;
    cpus: number;
    loadAverage: number[];
    memory: { totalBytes: number; freeBytes: number };
  } | null;
  readonly process: { rssBytes: number; heapUsedBytes: number } | null;
  readonly dependencies: readonly Check[];
  readonly services: readonly ServiceHealth[];
  readonly supergraph: SupergraphState | null;
}
