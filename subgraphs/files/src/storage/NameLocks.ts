/**
 * Serialises work on the same names inside one process, so a check and the
 * change it guards (is the name free? then take it) cannot interleave with
 * another request's. Names are locked in sorted order, so two requests that
 * lock the same pair never wait on each other.
 */
export class NameLocks {
  readonly #tails = new Map<string, Promise<void>>();

  async with<T>(names: readonly string[], work: () => Promise<T>): Promise<T> {
    const ordered = [...new Set(names)].sort();
    const releases: Array<() => void> = [];
    try {
      for (const name of ordered) releases.push(await this.#acquire(name));
      return await work();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  async #acquire(name: string): Promise<() => void> {
    const previous = this.#tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => held);
    this.#tails.set(name, tail);
    await previous;
    return () => {
      release();
      if (this.#tails.get(name) === tail) this.#tails.delete(name);
    };
  }
}
