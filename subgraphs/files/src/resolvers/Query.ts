import type { FileService, ListArguments } from '../files/FileService.ts';
import { fileId } from '../files/ids.ts';

export function queryResolvers(files: FileService) {
  return {
    files: async (_: unknown, args: ListArguments) => {
      const page = await files.list(args);
      const last = page.files.at(-1);
      return {
        nodes: page.files,
        pageInfo: { hasNextPage: page.hasMore, endCursor: last ? fileId(last.name) : null },
        totalCount: page.totalCount ?? null,
      };
    },
    file: (_: unknown, args: { id: string }) => files.get(args.id),
  };
}
