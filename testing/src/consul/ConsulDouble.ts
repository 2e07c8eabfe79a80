import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Acl, type AclOption } from './Acl.ts';
import { answerDnsQuery } from './answerDnsQuery.ts';
import { Catalog, worstStatus } from './Catalog.ts';
import { CheckRunner, type CheckTls } from './CheckRunner.ts';
import { ConsulDns } from './ConsulDns.ts';
import { createConsulHttpApi, type Fault } from './consulHttpApi.ts';
import type { CheckStatus } from './parseRegistration.ts';

export type { Fault } from './consulHttpApi.ts';
export type { CheckStatus } from './parseRegistration.ts';
export type { AclConfig, AclOption, AclRules, AclTokenConfig } from './Acl.ts';
export { parseAclOption, readEverything, serviceIdentity } from './Acl.ts';

export interface ConsulDoubleOptions {
  /**
   * The agent's ACL system: its default policy, its tokens with their rules,
   * and the DNS token (`acl.tokens.dns`); or 'off', a Consul without ACLs
   * where anyone may register anything. No default: whoever starts a
   * double says which.
   */
  readonly acl: AclOption;
  /** HTTP API port on 127.0.0.1; 0 (default) picks a free one, kept across restarts. */
  readonly httpPort?: number;
  /** DNS port on 127.0.0.1, UDP and TCP; 0 (default) picks a free one, kept across restarts. */
  readonly dnsPort?: number;
  /** The agent's node name (a dev agent uses the host name). Default "consul-double". */
  readonly nodeName?: string;
  /** Default "dc1", as `consul agent -dev`. */
  readonly datacenter?: string;
  /** Consul's `dns_config.only_passing`. Default false: DNS also answers instances in warning. */
  readonly dnsOnlyPassing?: boolean;
  /** Consul's `dns_config.udp_answer_limit`. Default 3. */
  readonly udpAnswerLimit?: number;
  /**
   * Consul's `enable_agent_tls_for_checks` with the agent's `tls` CA,
   * certificate and key: HTTPS checks trust that CA (not the system's) and
   * show that certificate. Unset: HTTPS checks trust the system's CAs and show none.
   */
  readonly checkTls?: CheckTls;
}

/** A registered service as tests see it, with the worst status of its checks. */
export interface ServiceSnapshot {
  readonly id: string;
  readonly name: string;
  readonly tags: readonly string[];
  readonly address: string;
  readonly port: number;
  readonly meta: Readonly<Record<string, string>>;
  readonly status: CheckStatus;
}

export interface CheckSnapshot {
  readonly checkId: string;
  readonly serviceId: string;
  readonly name: string;
  readonly type: 'http' | 'tcp' | 'ttl';
  readonly status: CheckStatus;
  readonly output: string;
}

/**
 * A stand-in for `consul agent -dev` for tests and the native stack, since no
 * Consul binary runs on these machines: Consul's HTTP API (agent services and
 * checks, catalog, health, blocking queries) and its DNS interface on
 * 127.0.0.1, with the agent's own HTTP/TCP/TTL checks and reaper, and its
 * ACL system unless told 'off' (tokens in X-Consul-Token, 403 for what a
 * token may not do, reads filtered, DNS answering with the DNS token's
 * rights). Like a dev agent it keeps nothing across a restart. `setFault`
 * makes the HTTP API misbehave for failure tests.
 */
export class ConsulDouble {
  #catalog: Catalog;
  #http: Server;
  #dns: ConsulDns;
  #httpPort: number;
  #dnsPort: number;
  #fault: Fault = 'none';
  #running = false;

  constructor(options: ConsulDoubleOptions) {
    this.#httpPort = options.httpPort ?? 0;
    this.#dnsPort = options.dnsPort ?? 0;
    this.#catalog = new Catalog({
      id: randomUUID(),
      name: options.nodeName ?? 'consul-double',
      address: '127.0.0.1',
      datacenter: options.datacenter ?? 'dc1',
    });
    const checks = new CheckRunner(this.#catalog, options.checkTls);
    const acl = new Acl(options.acl);
    this.#http = createServer(
      createConsulHttpApi({ catalog: this.#catalog, checks, acl, fault: () => this.#fault }),
    );
    const dnsOptions = {
      domain: 'consul',
      onlyPassing: options.dnsOnlyPassing ?? false,
      udpAnswerLimit: options.udpAnswerLimit ?? 3,
      authorizer: () => acl.dns(),
    };
    this.#dns = new ConsulDns((message, transport) =>
      answerDnsQuery(message, transport, this.#catalog, dnsOptions),
    );
  }

  /** "127.0.0.1:port", what CONSUL_HTTP_ADDR takes. */
  get httpAddr(): string {
    return `127.0.0.1:${this.#httpPort}`;
  }

  get httpPort(): number {
    return this.#httpPort;
  }

  /** "127.0.0.1:port", answering DNS on UDP and TCP. */
  get dnsAddr(): string {
    return `127.0.0.1:${this.#dnsPort}`;
  }

  get dnsPort(): number {
    return this.#dnsPort;
  }

  get running(): boolean {
    return this.#running;
  }

  /** The index blocking queries see now (X-Consul-Index). */
  get index(): number {
    return this.#catalog.index;
  }

  /** Starts listening; after a stop, on the same ports as before. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#dnsPort = await this.#dns.listen(this.#dnsPort);
    try {
      this.#http.listen(this.#httpPort, '127.0.0.1');
      await once(this.#http, 'listening');
    } catch (error) {
      await this.#dns.close();
      throw error;
    }
    this.#httpPort = (this.#http.address() as AddressInfo).port;
    this.#running = true;
  }

  /**
   * Closes every socket (pending blocking queries and hung requests too) and
   * stops every check, so a test process can exit; the state is gone, as
   * when a dev agent stops.
   */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    const closed = new Promise<void>((resolve) => this.#http.close(() => resolve()));
    this.#http.closeAllConnections();
    this.#catalog.reset();
    await Promise.all([closed, this.#dns.close()]);
    // Let clients in this process read the closed sockets before anything
    // else runs: a real agent is never back instantly, so a keep-alive client
    // never reuses a connection the restart closed.
    await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Stop then start: every registration is forgotten, like restarting `consul agent -dev`. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** 'garbage': every HTTP answer is 200 with a body that is not JSON; 'hang': never answers. DNS is unaffected. */
  setFault(fault: Fault): void {
    this.#fault = fault;
  }

  services(): ServiceSnapshot[] {
    return this.#catalog.localServices().map(({ registration }) => ({
      id: registration.id,
      name: registration.name,
      tags: registration.tags,
      address: registration.address,
      port: registration.port,
      meta: registration.meta,
      status: worstStatus(this.#catalog.checksOf(registration.id).map((check) => check.status)),
    }));
  }

  checks(): CheckSnapshot[] {
    return this.#catalog.checks().map((check) => ({
      checkId: check.definition.checkId,
      serviceId: check.serviceId,
      name: check.definition.name,
      type: check.definition.probe.type,
      status: check.status,
      output: check.output,
    }));
  }
}

/** A ConsulDouble, already listening. */
export async function startConsulDouble(options: ConsulDoubleOptions): Promise<ConsulDouble> {
  const double = new ConsulDouble(options);
  await double.start();
  return double;
}
