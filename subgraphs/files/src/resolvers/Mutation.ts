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
    deleteFiles: (_: unknown, args: { ids: string[] }) => files.delete(args.ids),
  };
}
