import type { FileService, IncomingFile } from '../files/FileService.ts';

type Upload = Promise<IncomingFile>;

export function mutationResolvers(files: FileService) {
  return {
    uploadFiles: (
      _: unknown,
      args: { files: Upload[]; prefix?: string | null; overwrite?: boolean | null },
    ) => files.upload(args.files, args),
    replaceFile: (_: unknown, args: { id: string; file: Upload }) =>
      files.replace(args.id, args.file),
    renameFile: (_: unknown, args: { id: string; name: string; overwrite?: boolean | null }) =>
      files.rename(args.id, args.name, args.overwrite ?? false),
    moveFolder: (_: unknown, args: { path: string; to: string }) =>
      files.moveFolder(args.path, args.to),
    deleteFiles: (_: unknown, args: { ids: string[] }) => files.delete(args.ids),
    restoreFiles: (_: unknown, args: { ids: string[] }) => files.restore(args.ids),
    emptyTrash: () => files.emptyTrash(),
  };
}
