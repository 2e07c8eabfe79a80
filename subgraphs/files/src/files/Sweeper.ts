import type { Logger } from '@filegraph/shared/logger';
import type { Catalogue } from '../catalogue/Catalogue.ts';
import type { Storage } from '../storage/Storage.ts';

export interface SweeperOptions {
  /** How often it runs. */
  readonly intervalMs: number;
  /** Files this long in the trash are purged. */
  readonly trashRetentionMs: number;
  /** A write begun this long ago that never committed is dead (its request is long over). */
  readonly staleWriteMs: number;
}

/** Keys handed to the store at once. */
const batch = 100;

/**
 * Deletes bytes no file uses any more: replaced versions (after a grace
 * period for readers holding their keys), purged files, and writes whose
 * replica died before committing. Every replica runs one; the catalogue
 * hands each key to one of them. A failure (storage or catalogue down) is
 * logged and tried again next round; nothing here can lose a file, since
 * only keys no record uses are ever handed out.
 */
export class Sweeper {
  readonly #catalogue: Catalogue;
  readonly #storage: Storage;
  readonly #options: SweeperOptions;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(catalogue: Catalogue, storage: Storage, options: SweeperOptions, logger: Logger) {
    this.#catalogue = catalogue;
    this.#storage = storage;
    this.#options = options;
    this.#logger = logger;
  }

  start(): void {
    // Jitter, so that replicas started together do not sweep in step.
    const next = this.#options.intervalMs * (0.75 + Math.random() / 2);
    this.#timer = setTimeout(() => {
      this.#running = this.sweep().finally(() => {
        this.#running = undefined;
        if (this.#timer) this.start();
      });
    }, next);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One round: purge the trash, give up dead writes, delete what is due. */
  async sweep(): Promise<void> {
    const now = Date.now();
    try {
      const purged = await this.#catalogue.upkeep.purgeTrash(
        new Date(now - this.#options.trashRetentionMs),
      );
      const expired = await this.#catalogue.upkeep.expireWrites(
        new Date(now - this.#options.staleWriteMs),
      );
      let deleted = 0;
      for (;;) {
        const count = await this.#catalogue.upkeep.sweep(batch, (keys) =>
          this.#storage.remove(keys),
        );
        deleted += count;
        if (count < batch) break;
      }
      if (purged + expired + deleted > 0)
        this.#logger.info('swept', { purged, expiredWrites: expired, objectsDeleted: deleted });
    } catch (error) {
      this.#logger.warn('sweep failed; trying again next round', { err: error });
    }
  }
}
