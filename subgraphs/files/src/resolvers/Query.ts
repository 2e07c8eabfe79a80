import type { RequestContext } from '@filegraph/shared/apollo';
import type { FilePage, FileService, ListArguments } from '../files/FileService.ts';
import type { ShareService } from '../shares/ShareService.ts';

function connection(page: FilePage) {
  return {
    nodes: page.files,
    pageInfo: { hasNextPage: page.hasMore, endCursor: page.endCursor },
    totalCount: page.totalCount,
  };
}

export function queryResolvers(files: FileService, shares: ShareService) {
  const callerOf = (context: RequestContext) => files.callerOf(context.identity);
  return {
    files: async (_: unknown, args: ListArguments, context: RequestContext) =>
      connection(await files.list(await callerOf(context), args)),
    file: async (_: unknown, args: { id: string }, context: RequestContext) =>
      files.get(await callerOf(context), args.id),
    folders: async (_: unknown, args: { prefix?: string | null }, context: RequestContext) =>
      files.folders(await callerOf(context), args.prefix),
    trash: async (
      _: unknown,
      args: { owner?: string | null; first?: number | null; after?: string | null },
      context: RequestContext,
    ) => connection(await files.trash(await callerOf(context), args)),
    uploadLimits: async (_: unknown, _args: unknown, context: RequestContext) => {
      await callerOf(context);
      return files.limits;
    },
    shareLinks: async (_: unknown, args: { fileId?: string | null }, context: RequestContext) =>
      shares.list(await callerOf(context), args.fileId),
  };
}
