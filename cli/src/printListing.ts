import { intOption } from './args.ts';
import type { CommandContext } from './Command.ts';
import { pages } from './findFile.ts';
import { count } from './format.ts';
import { maxAtOnce, type ApiFile, type FilePage } from './operations.ts';

/** The options ls and trash share. */
export const listingOptions = {
  all: { type: 'boolean', short: 'a' },
  limit: { type: 'string', short: 'n' },
  long: { type: 'boolean', short: 'l' },
} as const;

export const listingHelp = `  -a, --all         every file, page after page (the server gives up to 1000 a page)
  -n, --limit <n>   at most n files, 1 to 1000 (100); ignored with --all
  -l, --long        id, size and time before each name`;

/**
 * One page, or with --all every page, of a listing; prints the files, or
 * with --json {"files": [File…], "totalCount", "hasNextPage", "endCursor"}
 * (pass endCursor back as the API's `after`).
 */
export async function printListing(
  { values, output }: CommandContext,
  fetch: (first: number, after: string | null) => Promise<FilePage>,
  line: (file: ApiFile) => string,
): Promise<void> {
  const all = values.all === true;
  const first = all ? maxAtOnce : intOption(values, 'limit', 100, 1, maxAtOnce);
  const files: ApiFile[] = [];
  let last: FilePage | undefined;
  for await (const page of pages((after) => fetch(first, after))) {
    files.push(...page.nodes);
    for (const file of page.nodes) output.line(line(file));
    last = page;
    if (!all) break;
  }
  const hasNextPage = last?.pageInfo.hasNextPage ?? false;
  if (hasNextPage) {
    const total = last?.totalCount;
    output.note(
      `${count(files.length, 'file')} shown${total != null ? ` of ${total}` : ''}; --all shows every one`,
    );
  }
  output.result({
    files,
    totalCount: last?.totalCount ?? files.length,
    hasNextPage,
    endCursor: last?.pageInfo.endCursor ?? null,
  });
}
