import type { Command } from '../Command.ts';
import { exitCodes } from '../errors.ts';
import { folderPath } from '../findFile.ts';
import { formatSize } from '../format.ts';
import { listingHelp, listingOptions, printListing } from '../printListing.ts';
import { operations } from '../operations.ts';

export const ls: Command = {
  name: 'ls',
  summary: 'list the files in a folder and its subfolders',
  usage: 'filegraph ls [<folder>] [--search <text>] [--all] [--limit <n>] [--long]',
  help: `Lists the files in <folder> (everything when omitted) and its subfolders,
by full name, one per line; the first 100 unless --all.

  -s, --search <text>  only names that contain it, ignoring case and accents
${listingHelp}

--json prints {"files": [File…], "totalCount", "hasNextPage", "endCursor"}.`,
  options: { ...listingOptions, search: { type: 'string', short: 's' } },
  arity: { min: 0, max: 1 },
  async run(context) {
    const prefix = folderPath(context.positionals[0] ?? '');
    const search = typeof context.values.search === 'string' ? context.values.search : null;
    await printListing(
      context,
      async (first, after) =>
        (
          await context.client.query(operations.files, {
            first,
            after,
            prefix,
            search,
          })
        ).files,
      (file) =>
        context.values.long
          ? `${file.id}  ${formatSize(file.size).padStart(8)}  ${file.updatedAt}  ${file.name}`
          : file.name,
    );
    return exitCodes.ok;
  },
};
