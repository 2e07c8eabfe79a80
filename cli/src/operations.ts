/**
 * The GraphQL the CLI sends (operations.graphql) as typed documents, and the
 * shapes it gets back; generated.ts is made from the schema by scripts/codegen.ts.
 */
import {
  DeleteFilesDocument,
  FileDocument,
  FilesDocument,
  MoveFolderDocument,
  RenameFileDocument,
  RestoreFilesDocument,
  TrashDocument,
  UploadFilesDocument,
  UploadLimitsDocument,
  type FileFieldsFragment,
  type FilePageFragment,
} from './generated.ts';

export type { TypedDocumentString } from './generated.ts';

/** A file as the API gives it; --json prints these as they come. */
export type ApiFile = FileFieldsFragment;
export type FilePage = FilePageFragment;

export const operations = {
  uploadLimits: UploadLimitsDocument,
  uploadFiles: UploadFilesDocument,
  files: FilesDocument,
  trash: TrashDocument,
  file: FileDocument,
  renameFile: RenameFileDocument,
  moveFolder: MoveFolderDocument,
  deleteFiles: DeleteFilesDocument,
  restoreFiles: RestoreFilesDocument,
} as const;

/** The most ids deleteFiles and restoreFiles take at once, and the largest page. */
export const maxAtOnce = 1000;
