import type { FileService, ListArguments } from '../files/FileService.ts';

export function queryResolvers(files: FileService) {
  return {
    files: async (_: unknown, args: ListArguments) => {
      const page = await files.list(args);
      return {
        nodes: page.files,
        pageInfo: { hasNextPage: page.hasMore, endCursor: page.endCursor },
        totalCount: page.totalCount ?? null,
      };
    },
    file: (_: unknown, args: { id: string }) => files.get(args.id),
    folders: (_: unknown, args: { prefix?: string | null }) => files.folders(args.prefix),
    uploadLimits: () => files.limits,
  };
}
