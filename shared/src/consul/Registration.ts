import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type Consul from 'consul';
import { httpOrigin } from '../http.ts';
import type { Logger } from '../logger.ts';
import { aclRefusal } from './consulClient.ts';

export interface RegistrationOptions {
  readonly consul: Consul;
  /** Service name: files, health, gateway. */
  readonly service: string;
  readonly address: string;
  readonly port: number;
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, string>>;
  /** How often Consul checks GET /health. */
  readonly checkInterval: number;
  /** Consul removes the instance once its check has failed this long. */
  readonly deregisterAfter: number;
  /**
   * The instance serves HTTPS to holders of the internal CA's certificates:
   * Consul checks it over HTTPS with its own (enable_agent_tls_for_checks),
   * expecting the certificate to name the service.
   */
  readonly tls: boolean;
  readonly logger: Logger;
}

/** A dev agent that restarts is back within seconds: retry often enough to notice soon. */
const maxBackoff = 5_000;
/** A refused token is refused again at once: ask again only this often (tokens created late, Swarm). */
const refusedRetry = 15_000;

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * One service instance in Consul's catalogue, for as long as it runs:
 * registered at start (retrying with backoff while Consul is down, the
 * service serving meanwhile), registered again when Consul forgets it (a
 * dev agent's restart does), deregistered when the service stops.
 */
export class Registration {
  /** Unique per instance: two replicas on one host never share it. */
  readonly id: string;
  readonly #options: RegistrationOptions;
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;
  #registered = false;

  constructor(options: RegistrationOptions) {
    this.#options = options;
    this.id = `${options.service}-${hostname()}-${options.port}-${randomBytes(3).toString('hex')}`;
  }

  /** Whether Consul has this instance as far as we last heard. */
  get registered(): boolean {
    return this.#registered;
  }

  /** Starts registering in the background; never throws. */
  start(): void {
    this.#loop ??= this.#keepRegistered();
  }

  async #keepRegistered(): Promise<void> {
    const { logger } = this.#options;
    const signal = this.#stop.signal;
    let backoff = 1_000;
    let failing = false;
    let refused: string | undefined;
    while (!signal.aborted) {
      try {
        if (!(await this.#known())) {
          await this.#replacePredecessors();
          await this.#register();
          logger.info(
            this.#registered
              ? 'registered again in Consul: it had forgotten us'
              : 'registered in Consul',
            {
              id: this.id,
              address: `${this.#options.address}:${this.#options.port}`,
            },
          );
          this.#registered = true;
        }
        if (failing) logger.info('Consul answers again', { id: this.id });
        failing = false;
        refused = undefined;
        backoff = 1_000;
        await pause(Math.max(this.#options.checkInterval, 1_000), signal);
      } catch (error) {
        if (signal.aborted) return;
        const refusal = aclRefusal(error);
        if (refusal !== undefined) {
          if (refusal !== refused)
            logger.error(
              `Consul refused this instance (HTTP 403): CONSUL_HTTP_TOKEN is missing, unknown to Consul, or not allowed service:write on "${this.#options.service}"; still serving, asking again every ${refusedRetry / 1000} s`,
              { id: this.id, consul: refusal },
            );
          refused = refusal;
          await pause(refusedRetry, signal);
          continue;
        }
        if (!failing)
          logger.warn('cannot reach Consul; still serving, will keep trying', {
            id: this.id,
            err: error,
          });
        failing = true;
        await pause(backoff, signal);
        backoff = Math.min(backoff * 2, maxBackoff);
      }
    }
  }

  /**
   * Whether the agent still lists this instance as this instance: a dev
   * agent forgets everything on restart, and another instance registering
   * under the same ID replaces us (Consul's rule) — both mean register again.
   */
  async #known(): Promise<boolean> {
    if (!this.#registered) return false;
    const services = (await this.#options.consul.agent.service.list()) as Record<
      string,
      { Address?: string; Port?: number }
    >;
    const entry = services[this.id];
    if (!entry) return false;
    if (entry.Address === this.#options.address && entry.Port === this.#options.port) return true;
    this.#options.logger.error('another instance registered under our ID; registering again', {
      id: this.id,
      theirs: `${entry.Address}:${entry.Port}`,
    });
    return false;
  }

  /**
   * An instance that ran at this address before us (this service restarted
   * on the same port) left its registration behind; its check now reaches
   * us and passes, so it would stay listed, a phantom, for good. We are
   * what answers at this address now: it goes.
   */
  async #replacePredecessors(): Promise<void> {
    const { consul, service, address, port, logger } = this.#options;
    const services = (await consul.agent.service.list()) as Record<
      string,
      { Service?: string; Address?: string; Port?: number }
    >;
    for (const [id, entry] of Object.entries(services)) {
      if (id === this.id || entry.Service !== service) continue;
      if (entry.Address !== address || entry.Port !== port) continue;
      await consul.agent.service.deregister(id);
      logger.info('replaced the registration of an earlier instance at this address', {
        id: this.id,
        replaced: id,
      });
    }
  }

  #register(): Promise<unknown> {
    const { address, port, service, tags, meta, checkInterval, deregisterAfter, tls } =
      this.#options;
    return this.#options.consul.agent.service.register({
      id: this.id,
      name: service,
      address,
      port,
      tags: [...tags],
      meta: { ...meta },
      check: {
        name: `${service} liveness`,
        http: `${httpOrigin(address, port, tls)}/health`,
        ...(tls && { tlsservername: service }),
        interval: `${checkInterval}ms`,
        timeout: `${Math.min(checkInterval, 5_000)}ms`,
        deregistercriticalserviceafter: `${deregisterAfter}ms`,
        // Consul starts a new check critical; this instance registers only once it serves.
        status: 'passing',
      },
    });
  }

  /** Stops re-registering and deregisters; a Consul that is down only gets a warning. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
    if (!this.#registered) return;
    try {
      await this.#options.consul.agent.service.deregister(this.id);
      this.#options.logger.info('deregistered from Consul', { id: this.id });
    } catch (error) {
      this.#options.logger.warn(
        'could not deregister from Consul; its check will expire the instance',
        {
          id: this.id,
          err: error,
        },
      );
    }
    this.#registered = false;
  }
}
