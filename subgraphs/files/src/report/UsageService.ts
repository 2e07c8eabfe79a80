import { AppError } from '@filegraph/shared/errors';
import { collectEvery } from '@filegraph/shared/garbage';
import type { Caller } from '@filegraph/shared/identity';
import type { Logger } from '@filegraph/shared/logger';
import type {
  Catalogue,
  FileRecord,
  InventoryCursor,
  UsageTotals,
} from '../catalogue/Catalogue.ts';
import type { UsageTally } from './UsageTally.ts';

/** Heap growth during a report after which its garbage is collected. */
const reportGarbageBytes = 16 * 2 ** 20;

/** How many groups of each kind the summary keeps: what a chart can show. */
export const summaryGroups = 10;

/** The chart's figures: live files and bytes, the largest content types and owners. */
export interface UsageSummary extends UsageTotals {
  readonly computedAt: Date;
}

export interface UsageOptions {
  /** A stored summary older than this is refreshed (in the background) when asked for. */
  readonly maxAgeMs: number;
  /** Rows per catalogue page while a report streams. */
  readonly pageSize: number;
}

/** Admins only: the report and the chart show every user's files. */
export function reportCaller(caller: Caller): Caller {
  if (caller.role !== 'ADMIN')
    throw new AppError('FORBIDDEN', 'Only an admin may see the usage report and its figures.');
  return caller;
}

/**
 * The usage report's rows and the chart's cached figures (issue 17). The
 * summary is one row in the catalogue, shared by every replica: a report
 * stores the totals it counted; asking for the summary reads that row and,
 * when it is older than `maxAgeMs`, answers with it at once and counts
 * again in the background (once at a time per replica). Only the very first
 * ask, with nothing stored yet, waits for a count.
 */
export class UsageService {
  readonly #catalogue: Catalogue;
  readonly #options: UsageOptions;
  readonly #logger: Logger;
  readonly #now: () => Date;
  #counting: Promise<UsageSummary> | undefined;

  constructor(
    catalogue: Catalogue,
    options: UsageOptions,
    logger: Logger,
    now: () => Date = () => new Date(),
  ) {
    this.#catalogue = catalogue;
    this.#options = options;
    this.#logger = logger;
    this.#now = now;
  }

  async summary(caller: Caller): Promise<UsageSummary> {
    reportCaller(caller);
    const stored = await this.#catalogue.usage.stored();
    if (!stored) return this.#count();
    const summary = parse(stored.computedAt, stored.figures);
    if (this.#now().getTime() - stored.computedAt.getTime() > this.#options.maxAgeMs) {
      this.#count().catch((error: unknown) =>
        this.#logger.warn('usage summary not refreshed', { err: error }),
      );
    }
    return summary;
  }

  /** Every live file, a page at a time in (owner, name) order; stops early when `signal` aborts. */
  async *pages(signal?: AbortSignal): AsyncGenerator<readonly FileRecord[]> {
    let after: InventoryCursor | undefined;
    // The old generation otherwise grows with the report (+96 MiB at
    // 100,000 files, +165 at 300,000); a collection every 16 MiB, a few
    // per 100,000 files, keeps the replica flat.
    const collectGarbage = collectEvery(reportGarbageBytes);
    for (;;) {
      if (signal?.aborted) return;
      collectGarbage();
      const page = await this.#catalogue.usage.inventory(after, this.#options.pageSize);
      if (page.length > 0) yield page;
      const last = page.at(-1);
      if (!last || page.length < this.#options.pageSize) return;
      after = { owner: last.owner, name: last.name };
    }
  }

  /** Keeps a report's totals as the summary every replica answers with. */
  async record(tally: UsageTally, computedAt: Date): Promise<void> {
    await this.#store({
      computedAt,
      files: tally.files,
      bytes: tally.bytes,
      byType: tally.byType(),
      byOwner: tally.byOwner(),
    });
  }

  #count(): Promise<UsageSummary> {
    this.#counting ??= (async () => {
      const computedAt = this.#now();
      const totals: UsageTotals = await this.#catalogue.usage.totals();
      return this.#store({ computedAt, ...totals });
    })().finally(() => {
      this.#counting = undefined;
    });
    return this.#counting;
  }

  async #store(summary: UsageSummary): Promise<UsageSummary> {
    const kept = {
      ...summary,
      byType: summary.byType.slice(0, summaryGroups),
      byOwner: summary.byOwner.slice(0, summaryGroups),
    };
    const { computedAt, ...figures } = kept;
    await this.#catalogue.usage.store({ computedAt, figures: JSON.stringify(figures) });
    return kept;
  }
}

function parse(computedAt: Date, figures: string): UsageSummary {
  const stored = JSON.parse(figures) as Omit<UsageSummary, 'computedAt'>;
  return { computedAt, ...stored };
}
