import type { Logger } from '@filegraph/shared/logger';
import { searchFold } from '../../files/names.ts';
import type { NameChange } from '../Storage.ts';

export interface IndexedName {
  readonly size: number;
  /** The name as search compares it (searchFold). */
  readonly folded: string;
}

/**
 * Every name in the bucket with its size, in memory, so that a search or a
 * size order does not read the whole bucket from S3 (about 1.5 s per 100,000
 * names) on every request. Built on first use by one full listing, then kept
 * current by changes: this replica's own at once, other replicas' as they
 * announce them (PeerChanges). A rebuild every `refreshMs` bounds what a lost
 * announcement can cost; changes that arrive during a rebuild are applied on
 * top of it, so none is lost to the swap.
 */
export class NamesIndex {
  readonly #scan: () => Promise<Map<string, number>>;
  readonly #refreshMs: number;
  readonly #logger: Logger;
  #names = new Map<string, IndexedName>();
  #builtAt = -Infinity;
  #building: Promise<void> | undefined;
  /** Changes seen while a rebuild lists the bucket; undefined when none runs. */
  #during: NameChange[] | undefined;

  constructor(scan: () => Promise<Map<string, number>>, refreshMs: number, logger: Logger) {
    this.#scan = scan;
    this.#refreshMs = refreshMs;
    this.#logger = logger;
  }

  apply(changes: readonly NameChange[]): void {
    NamesIndex.#applyTo(this.#names, changes);
    this.#during?.push(...changes);
  }

  /** The index, built first if it never was; an old one is served while a new one is built. */
  async names(): Promise<ReadonlyMap<string, IndexedName>> {
    if (this.#builtAt === -Infinity) await this.#rebuild();
    else if (performance.now() - this.#builtAt > this.#refreshMs) {
      this.#rebuild().catch((error: unknown) =>
        this.#logger.warn('names index refresh failed; the last one stays', { err: error }),
      );
    }
    return this.#names;
  }

  #rebuild(): Promise<void> {
    this.#building ??= (async () => {
      this.#during = [];
      try {
        const started = performance.now();
        const names = new Map<string, IndexedName>();
        for (const [name, size] of await this.#scan()) names.set(name, indexed(name, size));
        NamesIndex.#applyTo(names, this.#during);
        this.#names = names;
        this.#builtAt = performance.now();
        this.#logger.info('names index built', {
          names: names.size,
          ms: Math.round(this.#builtAt - started),
        });
      } finally {
        this.#during = undefined;
        this.#building = undefined;
      }
    })();
    return this.#building;
  }

  static #applyTo(names: Map<string, IndexedName>, changes: readonly NameChange[]): void {
    for (const { name, size } of changes) {
      if (size === undefined) names.delete(name);
      else names.set(name, indexed(name, size));
    }
  }
}

function indexed(name: string, size: number): IndexedName {
  const folded = searchFold(name);
  // Most names are already folded: one string then serves for both.
  return { size, folded: folded === name ? name : folded };
}
