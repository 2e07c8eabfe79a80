import type { FilePage, FileService, ListArguments } from '../files/FileService.ts';

function connection(page: FilePage) {
  return {
    nodes: page.files,
    pageInfo: { hasNextPage: page.hasMore, endCursor: page.endCursor },
    totalCount: page.totalCount,
  };
}

export function queryResolvers(files: FileService) {
  return {
    files: async (_: unknown, args: ListArguments) => connection(await files.list(args)),
    file: (_: unknown, args: { id: string }) => files.get(args.id),
    folders: (_: unknown, args: { prefix?: string | null }) => files.folders(args.prefix),
    trash: async (_: unknown, args: { first?: number | null; after?: string | null }) =>
      connection(await files.trash(args)),
    uploadLimits: () => files.limits,
  };
}
