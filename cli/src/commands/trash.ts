import type { Command } from '../Command.ts';
import { exitCodes } from '../errors.ts';
import { formatSize } from '../format.ts';
import { listingHelp, listingOptions, printListing } from '../printListing.ts';
import { operations } from '../operations.ts';

export const trash: Command = {
  name: 'trash',
  summary: 'list the files in the trash, most recently deleted first',
  usage: 'filegraph trash [--all] [--limit <n>] [--long]',
  help: `Lists the files in the trash, the most recently deleted first, as
"<id>  <name>" (restore takes either); the first 100 unless --all.

${listingHelp}

--json prints {"files": [File…], "totalCount", "hasNextPage", "endCursor"};
each File has its deletedAt.`,
  options: listingOptions,
  arity: { min: 0, max: 0 },
  async run(context) {
    await printListing(
      context,
      async (first, after) =>
        (await context.client.query(operations.trash, { first, after })).trash,
      (file) =>
        context.values.long
          ? `${file.id}  ${formatSize(file.size).padStart(8)}  ${file.deletedAt ?? ''}  ${file.name}`
          : `${file.id}  ${file.name}`,
    );
    return exitCodes.ok;
  },
};
