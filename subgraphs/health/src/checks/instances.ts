import type { Agent } from 'node:http';
import type Consul from 'consul';
import { parseHealthEntries, subgraphTag } from '@filegraph/shared/consul';
import { httpOrigin } from '@filegraph/shared/http';
import type { Check } from './HealthReport.ts';

/** One running instance of a service, as health sees it. */
export interface Instance {
  readonly service: string;
  readonly id: string;
  readonly address: string;
  readonly port: number;
  /** A GraphQL subgraph: the router sends requests to it. */
  readonly routed: boolean;
  readonly meta: Readonly<Record<string, string>>;
  /** Its GET /ready, for our own services; undefined for others (the router). */
  readonly readyUrl: string | undefined;
  /** What the registry's own check says, when there is a registry. */
  readonly registryStatus: 'passing' | 'warning' | 'critical' | undefined;
  readonly registryOutput: string;
  /** How to reach it when not as the internal CA's (the embedded gateway's own HTTPS certificate). */
  readonly agent?: Agent;
}

export interface InstanceSource {
  /** The instances to check, and how the registry itself answered (undefined: no registry). */
  list(timeoutMs: number): Promise<{ instances: readonly Instance[]; registry: Check | undefined }>;
}

/** The embedded default: the services the launcher started, by their base URLs. */
export function staticInstances(
  services: () => ReadonlyArray<{ name: string; url: string; agent?: Agent }>,
): InstanceSource {
  return {
    list: async () => ({
      instances: services().map(({ name, url, agent }) => ({
        ...(agent ? { agent } : {}),
        service: name,
        id: name,
        address: new URL(url).hostname,
        port: Number(new URL(url).port),
        routed: false,
        meta: {},
        readyUrl: new URL('ready', new URL('.', url)).href,
        registryStatus: undefined,
        registryOutput: '',
      })),
      registry: undefined,
    }),
  };
}

const ours = new Set([subgraphTag, 'graphql-gateway']);

/**
 * Everything Consul's catalogue lists, every instance with its check status
 * (critical ones too: a dead instance is reported, not hidden). When Consul
 * does not answer, the instances it last listed are checked directly.
 */
/**
 * `secure`: the subgraphs serve HTTPS (internal TLS), so their readiness is
 * asked at https://; the gateway's port is public, plain HTTP.
 */
export function consulInstances(consul: Consul, secure = false): InstanceSource {
  let known: readonly Instance[] = [];
  return {
    async list(timeoutMs) {
      const started = performance.now();
      try {
        const catalogue = await consul.catalog.service.list({ timeout: timeoutMs });
        const names = Object.keys(catalogue)
          .filter((name) => name !== 'consul')
          .sort();
        const lists = await Promise.all(
          names.map(async (name) =>
            parseHealthEntries(await consul.health.service({ service: name, timeout: timeoutMs })),
          ),
        );
        known = lists.flat().map((entry) => ({
          service: entry.service,
          id: entry.id,
          address: entry.address,
          port: entry.port,
          routed: entry.tags.includes(subgraphTag),
          meta: entry.meta,
          readyUrl: entry.tags.some((tag) => ours.has(tag))
            ? `${httpOrigin(entry.address, entry.port, secure && entry.tags.includes(subgraphTag))}/ready`
            : undefined,
          registryStatus: entry.status,
          registryOutput: entry.output,
        }));
        return { instances: known, registry: registryCheck('OK', null, started) };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return {
          instances: known,
          registry: registryCheck(
            'DOWN',
            `${message}; showing the instances it last listed`,
            started,
          ),
        };
      }
    },
  };
}

function registryCheck(status: Check['status'], error: string | null, started: number): Check {
  return {
    name: 'consul',
    status,
    latencyMs: Math.round((performance.now() - started) * 10) / 10,
    error,
    reason: error ? 'not answering' : undefined,
    url: null,
  };
}
