import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Acl, Authorizer } from './Acl.ts';
import { worstStatus, type Catalog, type Instance, type ServiceEntry } from './Catalog.ts';
import type { CheckRunner } from './CheckRunner.ts';
import {
  agentServiceJson,
  catalogServiceJson,
  checkJson,
  healthServiceJson,
  serfHealthJson,
} from './consulJson.ts';
import { HttpError } from './HttpError.ts';
import { field, parseRegistration, type CheckStatus } from './parseRegistration.ts';
import { parseDuration } from './parseDuration.ts';

/** What the HTTP API does instead of answering: nothing wrong, non-JSON bodies, or silence. */
export type Fault = 'none' | 'garbage' | 'hang';

export interface ConsulHttpApiOptions {
  readonly catalog: Catalog;
  readonly checks: CheckRunner;
  readonly acl: Acl;
  readonly fault: () => Fault;
}

interface Request {
  readonly url: URL;
  readonly params: readonly string[];
  readonly body: () => Promise<unknown>;
  /** Aborts when the client goes away, so a blocking query stops waiting. */
  readonly signal: AbortSignal;
  /** The token the request carries, '' for none. */
  readonly token: string;
  /** Its rights; a token Consul does not know throws 403 "ACL not found". */
  readonly authorizer: () => Authorizer;
}

interface Reply {
  readonly json?: unknown;
  /** Blocking endpoints carry the index their answer reflects. */
  readonly index?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** ACLs hid part of the answer from this token. */
  readonly filtered?: boolean;
}

/**
 * What one token may see of the catalog, as Consul filters reads: a
 * service by service:read, an instance by node:read and service:read.
 * Remembers whether it hid anything.
 */
class Visibility {
  filtered = false;
  readonly #authorizer: Authorizer;
  readonly #node: string;

  constructor(authorizer: Authorizer, node: string) {
    this.#authorizer = authorizer;
    this.#node = node;
  }

  service(name: string): boolean {
    return this.#note(this.#authorizer.allows('service', name, 'read'));
  }

  node(): boolean {
    return this.#note(this.#authorizer.allows('node', this.#node, 'read'));
  }

  instance(service: ServiceEntry): boolean {
    return this.#note(
      this.#authorizer.allows('node', this.#node, 'read') &&
        this.#authorizer.allows('service', service.registration.name, 'read'),
    );
  }

  #note(allowed: boolean): boolean {
    if (!allowed) this.filtered = true;
    return allowed;
  }
}

interface Route {
  readonly method: 'GET' | 'PUT';
  readonly path: RegExp;
  readonly handle: (request: Request) => Promise<Reply> | Reply;
}

// https://developer.hashicorp.com/consul/api-docs/features/blocking
const defaultWaitMs = 5 * 60_000;
const maxWaitMs = 10 * 60_000;
const maxBodyBytes = 1024 * 1024;
const checkStatuses: readonly string[] = ['passing', 'warning', 'critical'];

/**
 * The part of Consul's HTTP API filegraph uses, as a Node request handler:
 * agent service registration, agent checks (TTL updates too), catalog,
 * health, status; catalog and health answer blocking queries.
 * https://developer.hashicorp.com/consul/api-docs
 */
export function createConsulHttpApi(
  options: ConsulHttpApiOptions,
): (incoming: IncomingMessage, response: ServerResponse) => void {
  const routes = consulRoutes(options);
  return (incoming, response) => {
    const fault = options.fault();
    // Hang: the request is accepted and never answered; stop() destroys the socket.
    if (fault === 'hang') return;
    if (fault === 'garbage') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('<html><body>502 Bad Gateway: this is not JSON</body></html>');
      return;
    }
    void serve(routes, options, incoming, response);
  };
}

/**
 * The token a request carries, where Consul looks for it: `?token=`
 * (deprecated since 1.15, still honoured, and first), then X-Consul-Token,
 * then `Authorization: Bearer`.
 * https://developer.hashicorp.com/consul/api-docs/api-structure#authentication
 */
function tokenOf(url: URL, incoming: IncomingMessage): string {
  const query = url.searchParams.get('token');
  if (query) return query;
  const header = incoming.headers['x-consul-token'];
  if (typeof header === 'string' && header !== '') return header;
  const [scheme, ...value] = (incoming.headers.authorization ?? '').split(' ');
  return value.length > 0 && scheme?.toLowerCase() === 'bearer' ? value.join(' ').trim() : '';
}

async function serve(
  routes: readonly Route[],
  { acl, catalog }: ConsulHttpApiOptions,
  incoming: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const abort = new AbortController();
  response.once('close', () => abort.abort());
  const datacenter = catalog.node.datacenter;
  try {
    const url = new URL(incoming.url ?? '/', 'http://consul');
    // The first route whose path matches is the endpoint (routes go from the
    // most specific path), even for another method: Go's mux, which Consul
    // uses, picks the handler by path and the handler then rejects the method.
    const route = routes.find((candidate) => candidate.path.test(url.pathname));
    const match = route?.path.exec(url.pathname);
    if (!route || !match) throw new HttpError(404, '404 page not found');
    if (route.method !== incoming.method) {
      throw new HttpError(405, `method ${incoming.method ?? ''} not allowed`);
    }
    const dc = url.searchParams.get('dc');
    if (dc && dc !== datacenter) {
      throw new HttpError(500, 'No path to datacenter');
    }
    if (url.searchParams.has('filter')) {
      throw new HttpError(400, 'The Consul test double does not evaluate ?filter expressions');
    }
    const token = tokenOf(url, incoming);
    const reply = await route.handle({
      url,
      params: match.slice(1).map((param) => decodeURIComponent(param)),
      body: () => readJson(incoming),
      signal: abort.signal,
      token,
      authorizer: () => acl.resolve(token),
    });
    if (response.destroyed) return;
    const headers: Record<string, string> = { ...reply.headers };
    if (acl.enabled) headers['X-Consul-Default-ACL-Policy'] = acl.defaultPolicy;
    // Only a request that gave a token learns that something was hidden (Consul's rule).
    if (reply.filtered && token !== '') headers['X-Consul-Results-Filtered-By-ACLs'] = 'true';
    if (reply.index !== undefined) {
      headers['X-Consul-Index'] = String(reply.index);
      headers['X-Consul-KnownLeader'] = 'true';
      headers['X-Consul-LastContact'] = '0';
    }
    if (reply.json === undefined) {
      response.writeHead(200, headers);
      response.end();
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Type': 'application/json' });
    response.end(JSON.stringify(reply.json));
  } catch (error) {
    if (response.destroyed) return;
    const status = error instanceof HttpError ? error.status : 500;
    response.writeHead(status, {
      'Content-Type': 'text/plain; charset=utf-8',
      ...(acl.enabled ? { 'X-Consul-Default-ACL-Policy': acl.defaultPolicy } : {}),
    });
    response.end(error instanceof Error ? error.message : String(error));
  }
}

function consulRoutes({ catalog, checks }: ConsulHttpApiOptions): readonly Route[] {
  const node = catalog.node;

  /**
   * Waits as a blocking query asks (`?index=N&wait=10s`), then renders the
   * current state as far as the request's token may see it.
   */
  const blocking =
    (render: (request: Request, visible: Visibility) => unknown) =>
    async (request: Request): Promise<Reply> => {
      // An unknown token is refused before any waiting.
      const authorizer = request.authorizer();
      const index = request.url.searchParams.get('index');
      if (index !== null && index !== '') {
        if (!/^\d+$/.test(index)) throw new HttpError(400, 'Invalid index');
        const wait = request.url.searchParams.get('wait');
        const waitMs = wait ? parseDuration(wait) : defaultWaitMs;
        if (waitMs === undefined || waitMs < 0) throw new HttpError(400, 'Invalid wait time');
        const capped = Math.min(waitMs, maxWaitMs);
        // Consul adds up to wait/16 so that many watchers do not wake together.
        const jitter = Math.random() * (capped / 16);
        await catalog.waitForChange(Number(index), capped + jitter, request.signal);
      }
      const visible = new Visibility(authorizer, node.name);
      return {
        json: render(request, visible),
        index: catalog.index,
        headers: { 'X-Consul-Effective-Consistency': 'leader' },
        filtered: visible.filtered,
      };
    };

  /** A TTL update needs write on the check's service (node write for a node check, which the double has none of). */
  const ttl =
    (status: CheckStatus) =>
    (request: Request): Reply => {
      const checkId = request.params[0] ?? '';
      demandCheckWrite(catalog, request.authorizer(), checkId);
      updateTtl(checks, checkId, status, request.url.searchParams.get('note') ?? '');
      return {};
    };

  return [
    {
      method: 'PUT',
      path: /^\/v1\/agent\/service\/register$/,
      async handle(request) {
        const registration = parseRegistration(await request.body());
        // Write on the new name, and on the name of whatever it replaces under
        // the same ID (Consul's vetServiceRegister): a token for one service can
        // neither add another nor take over another's ID.
        const authorizer = request.authorizer();
        authorizer.demand('service', registration.name, 'write');
        const existing = catalog.localService(registration.id);
        if (existing) authorizer.demand('service', existing.registration.name, 'write');
        catalog.register(registration, flag(request.url, 'replace-existing-checks'));
        return {};
      },
    },
    {
      method: 'PUT',
      path: /^\/v1\/agent\/service\/deregister\/(.+)$/,
      handle(request) {
        const id = request.params[0] ?? '';
        const authorizer = request.authorizer();
        const existing = catalog.localService(id);
        if (!existing) {
          throw new HttpError(
            404,
            `Unknown service ID ${JSON.stringify(id)}. Ensure that the service ID is passed, not the service name.`,
          );
        }
        authorizer.demand('service', existing.registration.name, 'write');
        catalog.deregister(id);
        return {};
      },
    },
    {
      method: 'GET',
      path: /^\/v1\/agent\/services$/,
      handle(request) {
        const visible = new Visibility(request.authorizer(), node.name);
        return {
          json: Object.fromEntries(
            sortedBy(catalog.localServices(), (service) => service.registration.id)
              .filter((service) => visible.service(service.registration.name))
              .map((service) => [service.registration.id, agentServiceJson(service, node)]),
          ),
          filtered: visible.filtered,
        };
      },
    },
    {
      method: 'GET',
      path: /^\/v1\/agent\/service\/(.+)$/,
      // Hash-based blocking: `?hash=<ContentHash>&wait=` waits until the definition changes.
      async handle(request) {
        const id = request.params[0] ?? '';
        const authorizer = request.authorizer();
        const render = () => {
          const service = catalog.localService(id);
          if (!service) throw new HttpError(404, `unknown service ID: ${id}`);
          authorizer.demand('service', service.registration.name, 'read');
          const json = agentServiceJson(service, node);
          const hash = createHash('sha256').update(JSON.stringify(json)).digest('hex').slice(0, 16);
          return { json: { ...json, ContentHash: hash }, hash };
        };
        const seen = request.url.searchParams.get('hash');
        let current = render();
        if (seen) {
          const wait = parseDuration(request.url.searchParams.get('wait') ?? '') ?? defaultWaitMs;
          const until = Date.now() + Math.min(wait, maxWaitMs);
          while (current.hash === seen && Date.now() < until && !request.signal.aborted) {
            await catalog.waitForChange(catalog.index, until - Date.now(), request.signal);
            current = render();
          }
        }
        return { json: current.json, headers: { 'X-Consul-ContentHash': current.hash } };
      },
    },
    {
      method: 'GET',
      path: /^\/v1\/agent\/checks$/,
      handle(request) {
        const visible = new Visibility(request.authorizer(), node.name);
        return {
          json: Object.fromEntries(
            sortedBy(catalog.checks(), (check) => check.definition.checkId).flatMap((check) => {
              const service = catalog.localService(check.serviceId);
              return service && visible.service(service.registration.name)
                ? [[check.definition.checkId, checkJson(check, service, node)]]
                : [];
            }),
          ),
          filtered: visible.filtered,
        };
      },
    },
    { method: 'PUT', path: /^\/v1\/agent\/check\/pass\/(.+)$/, handle: ttl('passing') },
    { method: 'PUT', path: /^\/v1\/agent\/check\/warn\/(.+)$/, handle: ttl('warning') },
    { method: 'PUT', path: /^\/v1\/agent\/check\/fail\/(.+)$/, handle: ttl('critical') },
    {
      method: 'PUT',
      path: /^\/v1\/agent\/check\/update\/(.+)$/,
      async handle(request) {
        const body = await request.body();
        const update =
          typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
        const status = field(update, 'Status');
        if (typeof status !== 'string' || !checkStatuses.includes(status)) {
          throw new HttpError(400, `Invalid check status: '${String(status)}'`);
        }
        const output = field(update, 'Output');
        const checkId = request.params[0] ?? '';
        demandCheckWrite(catalog, request.authorizer(), checkId);
        updateTtl(checks, checkId, status as CheckStatus, typeof output === 'string' ? output : '');
        return {};
      },
    },
    {
      method: 'GET',
      path: /^\/v1\/catalog\/services$/,
      handle: blocking((_request, visible) => {
        const tags = new Map<string, Set<string>>();
        for (const service of catalog.catalogServices()) {
          if (!visible.service(service.registration.name)) continue;
          const known = tags.get(service.registration.name) ?? new Set<string>();
          for (const tag of service.registration.tags) known.add(tag);
          tags.set(service.registration.name, known);
        }
        return Object.fromEntries(
          [...tags.keys()].sort().map((name) => [name, [...(tags.get(name) ?? [])]]),
        );
      }),
    },
    {
      method: 'GET',
      path: /^\/v1\/catalog\/service\/(.+)$/,
      handle: blocking((request, visible) =>
        withTags(catalog.instances(request.params[0] ?? ''), request.url)
          .filter((instance) => visible.instance(instance.service))
          .map((instance) => catalogServiceJson(instance.service, node)),
      ),
    },
    {
      method: 'GET',
      path: /^\/v1\/health\/service\/(.+)$/,
      handle: blocking((request, visible) => {
        const passingOnly = flag(request.url, 'passing');
        return withTags(catalog.instances(request.params[0] ?? ''), request.url)
          .filter(
            (instance) =>
              !passingOnly ||
              worstStatus(instance.checks.map((check) => check.status)) === 'passing',
          )
          .filter((instance) => visible.instance(instance.service))
          .map((instance) => healthServiceJson(instance, node));
      }),
    },
    {
      method: 'GET',
      path: /^\/v1\/health\/checks\/(.+)$/,
      handle: blocking((request, visible) =>
        catalog
          .instances(request.params[0] ?? '')
          .filter((instance) => visible.instance(instance.service))
          .flatMap((instance) =>
            instance.checks.map((check) => checkJson(check, instance.service, node)),
          ),
      ),
    },
    {
      method: 'GET',
      path: /^\/v1\/health\/state\/(any|passing|warning|critical)$/,
      handle: blocking((request, visible) => {
        const state = request.params[0];
        const all = [
          ...(visible.node() ? [serfHealthJson(node)] : []),
          ...catalog
            .localServices()
            .filter((service) => visible.instance(service))
            .flatMap((service) =>
              catalog
                .checksOf(service.registration.id)
                .map((check) => checkJson(check, service, node)),
            ),
        ];
        return state === 'any' ? all : all.filter((check) => check.Status === state);
      }),
    },
    // Status endpoints need no token, in Consul as here.
    {
      method: 'GET',
      path: /^\/v1\/status\/leader$/,
      handle: () => ({ json: `${node.address}:8300` }),
    },
    {
      method: 'GET',
      path: /^\/v1\/status\/peers$/,
      handle: () => ({ json: [`${node.address}:8300`] }),
    },
  ];
}

/**
 * Consul's vetCheckUpdate: writing a check's status needs write on its
 * service; an unknown check is a 404 (the message updateTtl also gives).
 */
function demandCheckWrite(catalog: Catalog, authorizer: Authorizer, checkId: string): void {
  const check = catalog.check(checkId);
  const service = check && catalog.localService(check.serviceId);
  if (!service) {
    throw new HttpError(
      404,
      `Unknown check ID ${JSON.stringify(checkId)}. Ensure that the check ID is passed, not the check name.`,
    );
  }
  authorizer.demand('service', service.registration.name, 'write');
}

function updateTtl(
  checks: CheckRunner,
  checkId: string,
  status: CheckStatus,
  output: string,
): void {
  const outcome = checks.updateTtl(checkId, status, output);
  if (outcome === 'unknown') {
    throw new HttpError(
      404,
      `Unknown check ID ${JSON.stringify(checkId)}. Ensure that the check ID is passed, not the check name.`,
    );
  }
  if (outcome === 'not-ttl') {
    throw new HttpError(500, `CheckID ${JSON.stringify(checkId)} does not have associated TTL`);
  }
}

/** Keeps instances that carry every `?tag=` given; Consul compares tags without case. */
function withTags(instances: readonly Instance[], url: URL): Instance[] {
  const wanted = url.searchParams.getAll('tag').map((tag) => tag.toLowerCase());
  return instances.filter((instance) => {
    const tags = instance.service.registration.tags.map((tag) => tag.toLowerCase());
    return wanted.every((tag) => tags.includes(tag));
  });
}

/** A query flag as Consul reads it: present and not "false" or "0". */
function flag(url: URL, name: string): boolean {
  const value = url.searchParams.get(name);
  return value !== null && value !== 'false' && value !== '0';
}

function sortedBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

async function readJson(incoming: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes)
      throw new HttpError(413, `Request body larger than ${maxBodyBytes} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, `Request decode failed: ${(error as Error).message}`);
  }
}
