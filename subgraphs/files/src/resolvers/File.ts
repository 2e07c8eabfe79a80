import type { RequestContext } from '@filegraph/shared/apollo';
import type { FileService } from '../files/FileService.ts';
import { fileId } from '../files/ids.ts';
import type { FileRecord } from '../storage/Storage.ts';

/** The path a browser GETs to download a file; ?v= lets it cache that version for good. */
export function downloadPath(file: FileRecord): string {
  return `/download/${fileId(file.name)}?v=${file.checksum.slice(0, 16)}`;
}

export function fileResolvers(files: FileService) {
  return {
    __resolveReference: (reference: { id: string }, _context: RequestContext) =>
      files.get(reference.id),
    id: (file: FileRecord) => fileId(file.name),
    createdAt: (file: FileRecord) => file.createdAt.toISOString(),
    updatedAt: (file: FileRecord) => file.updatedAt.toISOString(),
    url: downloadPath,
  };
}
