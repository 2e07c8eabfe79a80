import type { RequestContext } from '@filegraph/shared/apollo';
import type { FileService } from '../files/FileService.ts';
import type { MutationResolvers } from '../generated/resolvers.ts';
import type { ShareService } from '../shares/ShareService.ts';

export function mutationResolvers(files: FileService, shares: ShareService): MutationResolvers {
  const callerOf = (context: RequestContext) => files.callerOf(context.identity);
  return {
    uploadFiles: async (_, args, context) =>
      files.upload(await callerOf(context), args.files, args),
    replaceFile: async (_, args, context) =>
      files.replace(await callerOf(context), args.id, args.file),
    renameFile: async (_, args, context) =>
      files.rename(await callerOf(context), args.id, args.name, args.overwrite ?? false),
    moveFolder: async (_, args, context) =>
      files.moveFolder(await callerOf(context), args.path, args.to),
    deleteFiles: async (_, args, context) => files.delete(await callerOf(context), args.ids),
    restoreFiles: async (_, args, context) => files.restore(await callerOf(context), args.ids),
    emptyTrash: async (_, _args, context) => files.emptyTrash(await callerOf(context)),
    createShareLink: async (_, args, context) => shares.create(await callerOf(context), args),
    revokeShareLink: async (_, args, context) => shares.revoke(await callerOf(context), args.id),
  };
}
