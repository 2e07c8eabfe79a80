/** One bar of the usage chart. */
export interface UsageBar {
  readonly label: string;
  readonly files: number;
  readonly bytes: number;
  /** Its part of all bytes, 0 to 1. */
  readonly share: number;
  /** The bar for everything the named ones leave out. */
  readonly other: boolean;
}

/**
 * The bars of one chart, largest first: the named groups the server sent
 * (its largest, at most 10) and, when they leave files out, one "Other"
 * bar for the rest, so the bars always add up to the whole.
 */
export function usageBars(
  groups: ReadonlyArray<{ label: string; files: number; bytes: number }>,
  total: { files: number; bytes: number },
): UsageBar[] {
  const share = (bytes: number) => (total.bytes > 0 ? bytes / total.bytes : 0);
  const bars: UsageBar[] = groups.map((group) => ({
    ...group,
    share: share(group.bytes),
    other: false,
  }));
  const files = total.files - groups.reduce((sum, group) => sum + group.files, 0);
  const bytes = total.bytes - groups.reduce((sum, group) => sum + group.bytes, 0);
  if (files > 0) bars.push({ label: 'Other', files, bytes, share: share(bytes), other: true });
  return bars;
}
