import type { RequestContext } from '@filegraph/shared/apollo';
import type { FilePage, FileService } from '../files/FileService.ts';
import type { QueryResolvers } from '../generated/resolvers.ts';
import type { UsageService } from '../report/UsageService.ts';
import type { ShareService } from '../shares/ShareService.ts';
import { usageSummaryOf } from './UsageSummary.ts';

function connection(page: FilePage) {
  return {
    nodes: page.files,
    pageInfo: { hasNextPage: page.hasMore, endCursor: page.endCursor },
    totalCount: page.totalCount,
  };
}

export function queryResolvers(
  files: FileService,
  shares: ShareService,
  usage: UsageService,
): QueryResolvers {
  const callerOf = (context: RequestContext) => files.callerOf(context.identity);
  return {
    files: async (_, args, context) => connection(await files.list(await callerOf(context), args)),
    file: async (_, args, context) => files.get(await callerOf(context), args.id),
    folders: async (_, args, context) => files.folders(await callerOf(context), args.prefix),
    trash: async (_, args, context) => connection(await files.trash(await callerOf(context), args)),
    uploadLimits: async (_, _args, context) => {
      await callerOf(context);
      return files.limits;
    },
    shareLinks: async (_, args, context) => shares.list(await callerOf(context), args.fileId),
    usageSummary: async (_, _args, context) =>
      usageSummaryOf(await usage.summary(await callerOf(context))),
  };
}
