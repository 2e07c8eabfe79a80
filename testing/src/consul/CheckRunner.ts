import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { Catalog, CheckEntry } from './Catalog.ts';
import type { CheckDefinition, CheckProbe, CheckStatus } from './parseRegistration.ts';

interface Result {
  readonly status: CheckStatus;
  readonly output: string;
}

interface Running {
  readonly definition: CheckDefinition;
  readonly abort: AbortController;
  timer: NodeJS.Timeout | undefined;
  reap: { readonly at: number; readonly timer: NodeJS.Timeout } | undefined;
}

export type TtlUpdate = 'updated' | 'unknown' | 'not-ttl';

/** The agent's own TLS material, used for HTTPS checks (`enable_agent_tls_for_checks`). */
export interface CheckTls {
  readonly ca: Buffer | string;
  readonly cert: Buffer | string;
  readonly key: Buffer | string;
}

// Consul keeps at most this much of a check's output (OutputMaxSize's default).
const outputMaxSize = 4096;
const maxRedirects = 10;

/**
 * Runs every check of a catalog like a Consul agent does: HTTP and TCP
 * probes each Interval (the first after a random stagger within it), TTL
 * checks that turn critical when not refreshed, and the reaper that
 * deregisters a service critical for longer than its
 * DeregisterCriticalServiceAfter. It follows the catalog, so checks start on
 * register and stop on deregister or reset.
 * https://developer.hashicorp.com/consul/docs/services/usage/checks
 */
export class CheckRunner {
  #catalog: Catalog;
  #tls: CheckTls | undefined;
  #running = new Map<string, Running>();

  constructor(catalog: Catalog, tls?: CheckTls) {
    this.#catalog = catalog;
    this.#tls = tls;
    catalog.onChange(() => this.#follow());
  }

  /** `PUT /v1/agent/check/pass|warn|fail/:id` and `/update/:id`: sets a TTL check and restarts its clock. */
  updateTtl(checkId: string, status: CheckStatus, output: string): TtlUpdate {
    const running = this.#running.get(checkId);
    if (!running) return 'unknown';
    const probe = running.definition.probe;
    if (probe.type !== 'ttl') return 'not-ttl';
    clearTimeout(running.timer);
    this.#catalog.updateCheck(checkId, status, output);
    this.#armTtl(checkId, running, probe.ttlMs);
    return 'updated';
  }

  #follow(): void {
    const checks = new Map(
      this.#catalog.checks().map((check) => [check.definition.checkId, check]),
    );
    for (const [checkId, running] of this.#running) {
      if (checks.get(checkId)?.definition !== running.definition) this.#stop(checkId, running);
    }
    for (const [checkId, check] of checks) {
      const running = this.#running.get(checkId) ?? this.#start(check);
      this.#followReap(check, running);
    }
  }

  #start(check: CheckEntry): Running {
    const checkId = check.definition.checkId;
    const running: Running = {
      definition: check.definition,
      abort: new AbortController(),
      timer: undefined,
      reap: undefined,
    };
    this.#running.set(checkId, running);
    const probe = check.definition.probe;
    if (probe.type === 'ttl') this.#armTtl(checkId, running, probe.ttlMs);
    else this.#schedule(checkId, running, Math.random() * probe.intervalMs);
    return running;
  }

  #stop(checkId: string, running: Running): void {
    clearTimeout(running.timer);
    clearTimeout(running.reap?.timer);
    running.abort.abort();
    this.#running.delete(checkId);
  }

  #armTtl(checkId: string, running: Running, ttlMs: number): void {
    running.timer = setTimeout(() => {
      this.#catalog.updateCheck(checkId, 'critical', 'TTL expired');
    }, ttlMs);
  }

  #schedule(checkId: string, running: Running, delayMs: number): void {
    running.timer = setTimeout(() => {
      const probe = running.definition.probe;
      if (probe.type === 'ttl') return;
      void runProbe(probe, running.abort.signal, this.#tls).then((result) => {
        if (this.#running.get(checkId) !== running) return;
        this.#catalog.updateCheck(checkId, result.status, result.output);
        if (this.#running.get(checkId) === running) {
          this.#schedule(checkId, running, probe.intervalMs);
        }
      });
    }, delayMs);
  }

  #followReap(check: CheckEntry, running: Running): void {
    const after = check.definition.deregisterCriticalServiceAfterMs;
    const at =
      after !== undefined && check.criticalSince !== undefined
        ? check.criticalSince + after
        : undefined;
    if (running.reap?.at === at) return;
    clearTimeout(running.reap?.timer);
    running.reap =
      at === undefined
        ? undefined
        : {
            at,
            timer: setTimeout(
              () => this.#catalog.deregister(check.serviceId),
              Math.max(0, at - Date.now()),
            ),
          };
  }
}

function runProbe(
  probe: Exclude<CheckProbe, { type: 'ttl' }>,
  signal: AbortSignal,
  tls: CheckTls | undefined,
): Promise<Result> {
  return probe.type === 'http' ? probeHttp(probe, signal, tls) : probeTcp(probe, signal);
}

/** 2xx is passing, 429 warning, anything else or no answer critical, as Consul grades HTTP checks. */
async function probeHttp(
  probe: Extract<CheckProbe, { type: 'http' }>,
  signal: AbortSignal,
  tls: CheckTls | undefined,
): Promise<Result> {
  let url: URL;
  try {
    url = new URL(probe.url);
  } catch {
    return { status: 'critical', output: `invalid check URL ${JSON.stringify(probe.url)}` };
  }
  try {
    for (let hop = 0; ; hop += 1) {
      const answer = await fetchOnce(url, probe, signal, tls);
      if (!probe.disableRedirects && answer.location && hop < maxRedirects) {
        url = new URL(answer.location, url);
        continue;
      }
      const code = answer.statusCode;
      const status = code >= 200 && code < 300 ? 'passing' : code === 429 ? 'warning' : 'critical';
      return {
        status,
        output: `HTTP ${probe.method} ${url.href}: ${code} ${answer.statusMessage} Output: ${answer.body}`,
      };
    }
  } catch (error) {
    return {
      status: 'critical',
      output: `${probe.method} ${JSON.stringify(url.href)}: ${(error as Error).message}`,
    };
  }
}

interface Answer {
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly body: string;
  readonly location: string | undefined;
}

function fetchOnce(
  url: URL,
  probe: Extract<CheckProbe, { type: 'http' }>,
  signal: AbortSignal,
  tls: CheckTls | undefined,
): Promise<Answer> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers: Record<string, string[]> = {
    'User-Agent': ['Consul Health Check'],
    Accept: ['text/plain, text/*, */*'],
    ...probe.header,
  };
  return new Promise<Answer>((resolve, reject) => {
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new Error(`timeout after ${probe.timeoutMs} ms`)),
      probe.timeoutMs,
    );
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      settle();
    };
    // Like Consul's check client: no keep-alive, so a probe never holds a connection open.
    const outgoing = request(url, {
      method: probe.method,
      headers,
      agent: false,
      rejectUnauthorized: !probe.tlsSkipVerify,
      ...(probe.tlsServerName ? { servername: probe.tlsServerName } : {}),
      ...tls,
      signal: AbortSignal.any([signal, timeout.signal]),
    });
    outgoing.once('error', (error) =>
      finish(() => reject(timeout.signal.aborted ? timeout.signal.reason : error)),
    );
    outgoing.once('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < outputMaxSize) chunks.push(chunk);
        size += chunk.length;
      });
      response.once('end', () =>
        finish(() =>
          resolve({
            statusCode: response.statusCode ?? 0,
            statusMessage: response.statusMessage ?? '',
            body: Buffer.concat(chunks).subarray(0, outputMaxSize).toString('utf8'),
            location: isRedirect(response.statusCode) ? response.headers.location : undefined,
          }),
        ),
      );
      response.once('error', (error) => finish(() => reject(error)));
      // A connection cut mid-body ends neither way; after 'end' this is a no-op.
      response.once('close', () =>
        finish(() => reject(new Error('connection closed before the answer ended'))),
      );
    });
    outgoing.end(probe.body);
  });
}

function isRedirect(statusCode: number | undefined): boolean {
  return statusCode !== undefined && [301, 302, 303, 307, 308].includes(statusCode);
}

/** Passing when a TCP connection opens within the timeout, critical otherwise. */
function probeTcp(
  probe: Extract<CheckProbe, { type: 'tcp' }>,
  signal: AbortSignal,
): Promise<Result> {
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(probe.address);
  if (!match) {
    return Promise.resolve({ status: 'critical', output: `invalid TCP address ${probe.address}` });
  }
  const [, host, port] = match;
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port), signal });
    const timer = setTimeout(() => socket.destroy(new Error('i/o timeout')), probe.timeoutMs);
    const settle = (result: Result) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () =>
      settle({ status: 'passing', output: `TCP connect ${probe.address}: Success` }),
    );
    socket.once('error', (error) =>
      settle({ status: 'critical', output: `dial tcp ${probe.address}: ${error.message}` }),
    );
  });
}
