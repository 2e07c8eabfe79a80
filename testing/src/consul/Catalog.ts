import type { CheckDefinition, CheckStatus, ServiceRegistration } from './parseRegistration.ts';

export interface Node {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  readonly datacenter: string;
}

export interface ServiceEntry {
  readonly registration: ServiceRegistration;
  /** False for the `consul` service the agent itself provides: catalog only, not agent. */
  readonly local: boolean;
  readonly createIndex: number;
  readonly modifyIndex: number;
}

export interface CheckEntry {
  readonly definition: CheckDefinition;
  readonly serviceId: string;
  readonly status: CheckStatus;
  readonly output: string;
  readonly createIndex: number;
  readonly modifyIndex: number;
  /** When the check last turned critical (Date.now()), for DeregisterCriticalServiceAfter. */
  readonly criticalSince: number | undefined;
}

/** A service instance with its own checks, as the health endpoints and DNS see it. */
export interface Instance {
  readonly service: ServiceEntry;
  readonly checks: readonly CheckEntry[];
}

interface Waiter {
  readonly afterIndex: number;
  readonly done: () => void;
}

// Consul's index is never 0 (clients treat 0 as an error), so a fresh agent starts above it.
const firstIndex = 1;
const consulServicePort = 8300;
const severity: Readonly<Record<CheckStatus, number>> = { passing: 0, warning: 1, critical: 2 };

/** The worst of some statuses, passing when there are none (Consul's aggregation). */
export function worstStatus(statuses: Iterable<CheckStatus>): CheckStatus {
  let worst: CheckStatus = 'passing';
  for (const status of statuses) if (severity[status] > severity[worst]) worst = status;
  return worst;
}

/**
 * What one dev-mode agent knows: its node, the services registered on it,
 * their checks, and the index that every register, deregister and check
 * status change moves forward (what blocking queries wait on). Check entries
 * are replaced, never mutated, so a holder of an old entry can tell it is gone.
 */
export class Catalog {
  readonly node: Node;
  #index = firstIndex;
  #services = new Map<string, ServiceEntry>();
  #checks = new Map<string, CheckEntry>();
  #waiters = new Set<Waiter>();
  #listeners = new Set<() => void>();

  constructor(node: Node) {
    this.node = node;
  }

  get index(): number {
    return this.#index;
  }

  /** Calls `listener` after every change, synchronously. */
  onChange(listener: () => void): void {
    this.#listeners.add(listener);
  }

  /** Services registered on this agent (what /v1/agent/services lists). */
  localServices(): ServiceEntry[] {
    return [...this.#services.values()];
  }

  localService(id: string): ServiceEntry | undefined {
    return this.#services.get(id);
  }

  /** Every service in the catalog, the agent's own `consul` service first. */
  catalogServices(): ServiceEntry[] {
    return [this.#consulService(), ...this.#services.values()];
  }

  checks(): CheckEntry[] {
    return [...this.#checks.values()];
  }

  check(checkId: string): CheckEntry | undefined {
    return this.#checks.get(checkId);
  }

  checksOf(serviceId: string): CheckEntry[] {
    return this.checks().filter((check) => check.serviceId === serviceId);
  }

  /** Instances of a service by name; Consul compares service names without case. */
  instances(name: string): Instance[] {
    const wanted = name.toLowerCase();
    return this.catalogServices()
      .filter((service) => service.registration.name.toLowerCase() === wanted)
      .map((service) => ({
        service,
        checks: service.local ? this.checksOf(service.registration.id) : [],
      }));
  }

  /**
   * Adds or replaces a service. A check that keeps its ID keeps its status,
   * as Consul restores it from the agent's snapshot; checks the new
   * definition drops stay unless `replaceExistingChecks` is set.
   */
  register(registration: ServiceRegistration, replaceExistingChecks: boolean): void {
    const index = this.#index + 1;
    const previous = this.#services.get(registration.id);
    this.#services.set(registration.id, {
      registration,
      local: true,
      createIndex: previous?.createIndex ?? index,
      modifyIndex: index,
    });
    const kept = new Set(registration.checks.map((check) => check.checkId));
    if (replaceExistingChecks) {
      for (const check of this.checksOf(registration.id)) {
        if (!kept.has(check.definition.checkId)) this.#checks.delete(check.definition.checkId);
      }
    }
    const now = Date.now();
    for (const definition of registration.checks) {
      const prior = this.#checks.get(definition.checkId);
      const status = prior?.status ?? definition.initialStatus;
      this.#checks.set(definition.checkId, {
        definition,
        serviceId: registration.id,
        status,
        output: prior?.output ?? '',
        createIndex: prior?.createIndex ?? index,
        modifyIndex: index,
        criticalSince: status === 'critical' ? (prior?.criticalSince ?? now) : undefined,
      });
    }
    this.#advance(index);
  }

  /** Removes a service and its checks; false when there was no such service. */
  deregister(serviceId: string): boolean {
    if (!this.#services.delete(serviceId)) return false;
    for (const check of this.checksOf(serviceId)) this.#checks.delete(check.definition.checkId);
    this.#advance(this.#index + 1);
    return true;
  }

  /**
   * Records a check result. Only a status change moves the index: Consul's
   * agent syncs output-only changes lazily, so they wake no blocking query.
   */
  updateCheck(checkId: string, status: CheckStatus, output: string): boolean {
    const check = this.#checks.get(checkId);
    if (!check) return false;
    const changed = check.status !== status;
    const index = changed ? this.#index + 1 : check.modifyIndex;
    this.#checks.set(checkId, {
      ...check,
      status,
      output,
      modifyIndex: index,
      criticalSince: status !== 'critical' ? undefined : (check.criticalSince ?? Date.now()),
    });
    if (changed) this.#advance(index);
    return true;
  }

  /**
   * Resolves once the index moves past `afterIndex`, after `timeoutMs`, or
   * when `signal` aborts (the client went away), whichever comes first.
   */
  waitForChange(afterIndex: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.#index > afterIndex || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#waiters.delete(waiter);
        resolve();
      };
      const waiter: Waiter = { afterIndex, done };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done);
      this.#waiters.add(waiter);
    });
  }

  /** Forgets everything, like a dev-mode agent that restarts; pending waits return. */
  reset(): void {
    this.#services.clear();
    this.#checks.clear();
    this.#index = firstIndex;
    for (const waiter of [...this.#waiters]) waiter.done();
    for (const listener of this.#listeners) listener();
  }

  #advance(index: number): void {
    this.#index = index;
    for (const waiter of [...this.#waiters]) if (index > waiter.afterIndex) waiter.done();
    for (const listener of this.#listeners) listener();
  }

  #consulService(): ServiceEntry {
    return {
      registration: {
        id: 'consul',
        name: 'consul',
        kind: '',
        tags: [],
        address: '',
        port: consulServicePort,
        meta: {},
        taggedAddresses: undefined,
        weights: { Passing: 1, Warning: 1 },
        enableTagOverride: false,
        checks: [],
      },
      local: false,
      createIndex: firstIndex,
      modifyIndex: firstIndex,
    };
  }
}
