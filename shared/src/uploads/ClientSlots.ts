/**
 * How many uploads each client address has under way, capped: one client
 * can't hold every connection and storage write of the service.
 */
export class ClientSlots {
  readonly #max: number;
  readonly #inUse = new Map<string, number>();

  constructor(max: number) {
    this.#max = max;
  }

  /** A release function, or undefined when `client` already has its most. */
  take(client: string): (() => void) | undefined {
    const used = this.#inUse.get(client) ?? 0;
    if (used >= this.#max) return undefined;
    this.#inUse.set(client, used + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#inUse.get(client) ?? 1) - 1;
      if (left === 0) this.#inUse.delete(client);
      else this.#inUse.set(client, left);
    };
  }
}
