import type { Caller } from '@filegraph/shared/identity';
import type { Logger } from '@filegraph/shared/logger';
import type { Catalogue } from '../catalogue/Catalogue.ts';

/**
 * Files stored before accounts become the first admin's (issue 16): at
 * their first request to this process, before it does anything else. The
 * catalogue makes the claim one transaction that replicas take in turn
 * (a second finds nothing left); this remembers that it ran here, so
 * later requests cost nothing. A failure is not remembered: the next
 * request tries again.
 */
export class LegacyClaim {
  readonly #catalogue: Catalogue;
  readonly #logger: Logger;
  #claimed: Promise<void> | undefined;

  constructor(catalogue: Catalogue, logger: Logger) {
    this.#catalogue = catalogue;
    this.#logger = logger;
  }

  /** Resolves once legacy files are no longer waiting for `caller`, if they are the first admin. */
  async before(caller: Caller): Promise<void> {
    if (!caller.firstAdmin) return;
    this.#claimed ??= this.#claim(caller.id).catch((error: unknown) => {
      this.#claimed = undefined;
      throw error;
    });
    await this.#claimed;
  }

  async #claim(owner: string): Promise<void> {
    const claimed = await this.#catalogue.claimLegacy(owner);
    if (claimed > 0)
      this.#logger.info('files stored before accounts now belong to the first admin', {
        owner,
        files: claimed,
      });
  }
}
