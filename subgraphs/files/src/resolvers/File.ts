import type { FileRecord } from '../catalogue/Catalogue.ts';
import type { FileService } from '../files/FileService.ts';
import type { FileResolvers } from '../generated/resolvers.ts';

/** The path a browser GETs to download a file; ?v= lets it cache that version for good. */
export function downloadPath(file: FileRecord): string {
  return `/download/${file.id}?v=${file.checksum.slice(0, 16)}`;
}

export function fileResolvers(files: FileService): FileResolvers {
  return {
    // Another subgraph's reference reads a file as the caller may, or not at all.
    __resolveReference: async (reference, context) =>
      files.get(await files.callerOf(context.identity), reference.id),
    createdAt: (file) => file.createdAt.toISOString(),
    updatedAt: (file) => file.updatedAt.toISOString(),
    deletedAt: (file) => file.deletedAt?.toISOString() ?? null,
    url: downloadPath,
    // A stub the accounts subgraph resolves (User @key resolvable: false here).
    owner: (file) => ({ id: file.owner }),
  };
}
