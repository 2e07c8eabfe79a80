import Consul from 'consul';

declare module 'consul/lib/consul.js' {
  interface CommonOptions {
    /** How long the request may take, in ms: the library honours it on every call; its declarations omit it. */
    timeout?: number;
  }
}

/** How long one request to the agent may take; blocking queries set their own, longer one. */
export const consulTimeoutMs = 3_000;

/**
 * A client for the Consul agent at CONSUL_HTTP_ADDR that sends CONSUL_HTTP_TOKEN
 * with every request; no request waits on it forever.
 */
export function consulClient(address: URL, token?: string): Consul {
  return new Consul({
    host: address.hostname,
    port: Number(address.port || (address.protocol === 'https:' ? 443 : 80)),
    secure: address.protocol === 'https:',
    // It sends `token` as X-Consul-Token on every call, watches' blocking queries too.
    defaults: { timeout: consulTimeoutMs, ...(token ? { token } : {}) },
  });
}

/**
 * What Consul said when it refused a request for its ACL token (HTTP 403: no
 * token, an unknown one, or one whose policy does not allow it); undefined
 * for any other failure.
 */
export function aclRefusal(error: unknown): string | undefined {
  const { statusCode, response } = (error ?? {}) as {
    statusCode?: unknown;
    response?: { body?: unknown };
  };
  if (statusCode !== 403) return undefined;
  return typeof response?.body === 'string' && response.body !== ''
    ? response.body
    : 'Permission denied';
}

/** One instance of a service as Consul's health endpoint lists it. */
export interface ConsulInstance {
  readonly id: string;
  readonly service: string;
  readonly address: string;
  readonly port: number;
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, string>>;
  /** The worst of its checks: passing, warning or critical. */
  readonly status: 'passing' | 'warning' | 'critical';
  readonly output: string;
}

interface HealthEntry {
  Node?: { Address?: string };
  Service?: {
    ID?: string;
    Service?: string;
    Address?: string;
    Port?: number;
    Tags?: string[];
    Meta?: Record<string, string>;
  };
  Checks?: Array<{ Status?: string; Output?: string }>;
}

const rank = { passing: 0, warning: 1, critical: 2 } as const;

/** Reads /v1/health/service answers; anything not shaped like one is an error, not an empty list. */
export function parseHealthEntries(body: unknown): ConsulInstance[] {
  if (!Array.isArray(body))
    throw new Error('Consul answered something that is not a list of instances');
  return (body as HealthEntry[]).map((entry) => {
    const service = entry.Service;
    if (!service?.ID || !service.Service || typeof service.Port !== 'number') {
      throw new Error('Consul answered an instance without ID, name or port');
    }
    let status: ConsulInstance['status'] = 'passing';
    let output = '';
    for (const check of entry.Checks ?? []) {
      const checkStatus =
        check.Status === 'passing' || check.Status === 'warning' ? check.Status : 'critical';
      if (rank[checkStatus] > rank[status]) {
        status = checkStatus;
        output = check.Output ?? '';
      }
    }
    return {
      id: service.ID,
      service: service.Service,
      address: service.Address || entry.Node?.Address || '',
      port: service.Port,
      tags: service.Tags ?? [],
      meta: service.Meta ?? {},
      status,
      output,
    };
  });
}

/** The tag every GraphQL subgraph instance registers with; the gateway composes exactly these. */
export const subgraphTag = 'graphql-subgraph';
