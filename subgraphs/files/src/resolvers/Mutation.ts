import type { RequestContext } from '@filegraph/shared/apollo';
import type { FileService, IncomingFile } from '../files/FileService.ts';
import type { ShareService } from '../shares/ShareService.ts';

type Upload = Promise<IncomingFile>;

export function mutationResolvers(files: FileService, shares: ShareService) {
  const callerOf = (context: RequestContext) => files.callerOf(context.identity);
  return {
    uploadFiles: async (
      _: unknown,
      args: { files: Upload[]; prefix?: string | null; overwrite?: boolean | null },
      context: RequestContext,
    ) => files.upload(await callerOf(context), args.files, args),
    replaceFile: async (_: unknown, args: { id: string; file: Upload }, context: RequestContext) =>
      files.replace(await callerOf(context), args.id, args.file),
    renameFile: async (
      _: unknown,
      args: { id: string; name: string; overwrite?: boolean | null },
      context: RequestContext,
    ) => files.rename(await callerOf(context), args.id, args.name, args.overwrite ?? false),
    moveFolder: async (_: unknown, args: { path: string; to: string }, context: RequestContext) =>
      files.moveFolder(await callerOf(context), args.path, args.to),
    deleteFiles: async (_: unknown, args: { ids: string[] }, context: RequestContext) =>
      files.delete(await callerOf(context), args.ids),
    restoreFiles: async (_: unknown, args: { ids: string[] }, context: RequestContext) =>
      files.restore(await callerOf(context), args.ids),
    emptyTrash: async (_: unknown, _args: unknown, context: RequestContext) =>
      files.emptyTrash(await callerOf(context)),
    createShareLink: async (
      _: unknown,
      args: { fileId: string; expiresInHours?: number | null; password?: string | null },
      context: RequestContext,
    ) => shares.create(await callerOf(context), args),
    revokeShareLink: async (_: unknown, args: { id: string }, context: RequestContext) =>
      shares.revoke(await callerOf(context), args.id),
  };
}
