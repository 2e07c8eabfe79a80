import type { UsageGroup, UsageTotals } from './Catalogue.ts';

/** Totals from the groups of one scan (both lists cover every live file). */
export function usageTotalsOf(
  byType: readonly UsageGroup[],
  byOwner: readonly UsageGroup[],
): UsageTotals {
  const plain = (group: UsageGroup): UsageGroup => ({
    key: String(group.key),
    files: Number(group.files),
    bytes: Number(group.bytes),
  });
  const types = byType.map(plain);
  return {
    files: types.reduce((sum, group) => sum + group.files, 0),
    bytes: types.reduce((sum, group) => sum + group.bytes, 0),
    byType: types,
    byOwner: byOwner.map(plain),
  };
}
