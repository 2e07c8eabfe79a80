import type { UsageSummary } from '../report/UsageService.ts';

/** The chart's figures as the schema shows them: owners as User stubs the accounts subgraph resolves. */
export function usageSummaryOf(summary: UsageSummary) {
  return {
    computedAt: summary.computedAt.toISOString(),
    files: summary.files,
    bytes: summary.bytes,
    byType: summary.byType.map((group) => ({
      contentType: group.key,
      files: group.files,
      bytes: group.bytes,
    })),
    byOwner: summary.byOwner.map((group) => ({
      owner: { id: group.key },
      files: group.files,
      bytes: group.bytes,
    })),
  };
}
