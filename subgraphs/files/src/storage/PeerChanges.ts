import type Consul from 'consul';
import { parseHealthEntries } from '@filegraph/shared/consul';
import { httpOrigin } from '@filegraph/shared/http';
import { request } from '@filegraph/shared/httpClient';
import type { Logger } from '@filegraph/shared/logger';
import type { NameChange } from './Storage.ts';

/** The path on every files replica that takes other replicas' changes. */
export const changesPath = '/changes';

/** Changes made within this long go out in one request. */
const batchMs = 20;
/** How long the list of replicas from Consul is used before it is asked again. */
const peersTtlMs = 2_000;
const sendTimeoutMs = 2_000;

/** What a POST to changesPath carries, checked: a list of { name, size? }. */
export function parseChanges(body: unknown): NameChange[] | undefined {
  if (!Array.isArray(body)) return undefined;
  const valid = body.every(
    (change: { name?: unknown; size?: unknown } | null) =>
      typeof change?.name === 'string' &&
      (change.size === undefined ||
        (Number.isSafeInteger(change.size) && Number(change.size) >= 0)),
  );
  return valid ? (body as NameChange[]) : undefined;
}

/**
 * Announces this replica's changes to the other files replicas that Consul
 * lists as passing, so that their names indexes (NamesIndex) see a file
 * uploaded, renamed or deleted here within milliseconds. Batches go out one
 * at a time, in order. A replica that misses one (down, restarting) catches
 * up at its next index rebuild; nothing here retries.
 */
export class PeerChanges {
  readonly #consul: Consul;
  readonly #service: string;
  readonly #selfId: string;
  readonly #logger: Logger;
  #queue: NameChange[] = [];
  #sending = false;
  #peers: { urls: string[]; at: number } | undefined;

  constructor(consul: Consul, service: string, selfId: string, logger: Logger) {
    this.#consul = consul;
    this.#service = service;
    this.#selfId = selfId;
    this.#logger = logger;
  }

  announce(changes: readonly NameChange[]): void {
    this.#queue.push(...changes);
    if (this.#sending) return;
    this.#sending = true;
    void this.#send().finally(() => {
      this.#sending = false;
      if (this.#queue.length > 0) this.announce([]);
    });
  }

  async #send(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, batchMs));
    const batch = this.#queue;
    this.#queue = [];
    let urls: string[];
    try {
      urls = await this.#peerUrls();
    } catch (error) {
      return void this.#logger.warn('could not list the other replicas to announce changes', {
        err: error,
        changes: batch.length,
      });
    }
    const body = JSON.stringify(batch);
    await Promise.all(
      urls.map((url) =>
        request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(sendTimeoutMs),
        })
          .then((answer) => {
            if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
          })
          .catch((error: unknown) =>
            this.#logger.warn('a replica missed changes; its next index rebuild catches up', {
              url,
              err: error,
              changes: batch.length,
            }),
          ),
      ),
    );
  }

  async #peerUrls(): Promise<string[]> {
    if (this.#peers && performance.now() - this.#peers.at < peersTtlMs) return this.#peers.urls;
    const instances = parseHealthEntries(
      await this.#consul.health.service({ service: this.#service, passing: true } as never),
    );
    const urls = instances
      .filter((instance) => instance.id !== this.#selfId)
      .map((instance) => `${httpOrigin(instance.address, instance.port)}${changesPath}`);
    this.#peers = { urls, at: performance.now() };
    return urls;
  }
}
