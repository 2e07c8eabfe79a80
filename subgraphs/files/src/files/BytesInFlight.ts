import { setMaxListeners } from 'node:events';
import type { PendingWrite } from '../catalogue/Catalogue.ts';

/**
 * The bytes of one request's files on their way to storage: at most `limit`
 * at once, and the first failure seen at once by whoever waits here (the
 * next file of a request whose storage died would otherwise be waited for
 * in vain). `signal` aborts when the request is given up.
 */
export class BytesInFlight {
  readonly #limit: number;
  readonly #writes: Array<Promise<PendingWrite>> = [];
  readonly #running = new Set<Promise<void>>();
  readonly #failed = Promise.withResolvers<never>();
  readonly #stop = new AbortController();

  constructor(limit: number) {
    this.#limit = limit;
    this.#failed.promise.catch(() => {});
    // Every file of a request listens (up to MAX_FILES): not a leak.
    setMaxListeners(0, this.#stop.signal);
  }

  get signal(): AbortSignal {
    return this.#stop.signal;
  }

  /** `next`, unless a write fails first. */
  unlessFailed<T>(next: Promise<T>): Promise<T> {
    return Promise.race([next, this.#failed.promise]);
  }

  /** Takes one more write; resolves once there is room for another. */
  async add(write: Promise<PendingWrite>): Promise<void> {
    this.#writes.push(write);
    const running: Promise<void> = write
      .then(
        () => {},
        (error: unknown) => this.#failed.reject(error),
      )
      .finally(() => this.#running.delete(running));
    this.#running.add(running);
    while (this.#running.size >= this.#limit) await this.unlessFailed(Promise.race(this.#running));
  }

  /** Every write in the order added, once all have succeeded. */
  all(): Promise<PendingWrite[]> {
    return this.unlessFailed(Promise.all(this.#writes));
  }

  /** Stops every write still running, and resolves once none is. */
  async abort(): Promise<void> {
    this.#stop.abort(new Error('the upload was given up'));
    await Promise.allSettled(this.#writes);
  }
}
