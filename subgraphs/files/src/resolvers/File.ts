import type { RequestContext } from '@filegraph/shared/apollo';
import type { FileRecord } from '../catalogue/Catalogue.ts';
import type { FileService } from '../files/FileService.ts';

/** The path a browser GETs to download a file; ?v= lets it cache that version for good. */
export function downloadPath(file: FileRecord): string {
  return `/download/${file.id}?v=${file.checksum.slice(0, 16)}`;
}

export function fileResolvers(files: FileService) {
  return {
    __resolveReference: (reference: { id: string }, _context: RequestContext) =>
      files.get(reference.id),
    createdAt: (file: FileRecord) => file.createdAt.toISOString(),
    updatedAt: (file: FileRecord) => file.updatedAt.toISOString(),
    deletedAt: (file: FileRecord) => file.deletedAt?.toISOString() ?? null,
    url: downloadPath,
  };
}
