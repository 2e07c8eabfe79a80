import type { RequestContext } from '@filegraph/shared/apollo';
import type { FileRecord } from '../catalogue/Catalogue.ts';
import type { FileService } from '../files/FileService.ts';

/** The path a browser GETs to download a file; ?v= lets it cache that version for good. */
export function downloadPath(file: FileRecord): string {
  return `/download/${file.id}?v=${file.checksum.slice(0, 16)}`;
}

export function fileResolvers(files: FileService) {
  return {
    // Another subgraph's reference reads a file as the caller may, or not at all.
    __resolveReference: async (reference: { id: string }, context: RequestContext) =>
      files.get(await files.callerOf(context.identity), reference.id),
    createdAt: (file: FileRecord) => file.createdAt.toISOString(),
    updatedAt: (file: FileRecord) => file.updatedAt.toISOString(),
    deletedAt: (file: FileRecord) => file.deletedAt?.toISOString() ?? null,
    url: downloadPath,
    // A stub the accounts subgraph resolves (User @key resolvable: false here).
    owner: (file: FileRecord) => ({ id: file.owner }),
  };
}
