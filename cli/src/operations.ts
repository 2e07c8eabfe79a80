/** The GraphQL the CLI sends, and the shapes it gets back (subgraphs/files/src/schema.graphql). */

/** A file as the API gives it; --json prints these as they come. */
export interface ApiFile {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
  readonly checksum: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly url: string;
  readonly deletedAt: string | null;
}

export interface FilePage {
  readonly nodes: ApiFile[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
  readonly totalCount: number | null;
}

const fileFields = 'id name size contentType checksum createdAt updatedAt url deletedAt';
const page = `nodes { ${fileFields} } pageInfo { hasNextPage endCursor } totalCount`;

export const operations = {
  uploadLimits: 'query UploadLimits { uploadLimits { maxFileSize maxFiles } }',
  uploadFiles: `mutation UploadFiles($files: [Upload!]!, $prefix: String, $overwrite: Boolean) {
    uploadFiles(files: $files, prefix: $prefix, overwrite: $overwrite) { ${fileFields} }
  }`,
  files: `query Files($first: Int, $after: String, $search: String, $prefix: String, $recursive: Boolean) {
    files(first: $first, after: $after, search: $search, prefix: $prefix, recursive: $recursive) { ${page} }
  }`,
  trash: `query Trash($first: Int, $after: String) { trash(first: $first, after: $after) { ${page} } }`,
  file: `query File($id: ID!) { file(id: $id) { ${fileFields} } }`,
  renameFile: `mutation RenameFile($id: ID!, $name: String!, $overwrite: Boolean) {
    renameFile(id: $id, name: $name, overwrite: $overwrite) { ${fileFields} }
  }`,
  moveFolder:
    'mutation MoveFolder($path: String!, $to: String!) { moveFolder(path: $path, to: $to) }',
  deleteFiles: 'mutation DeleteFiles($ids: [ID!]!) { deleteFiles(ids: $ids) }',
  restoreFiles: `mutation RestoreFiles($ids: [ID!]!) { restoreFiles(ids: $ids) { ${fileFields} } }`,
} as const;

/** The most ids deleteFiles and restoreFiles take at once, and the largest page. */
export const maxAtOnce = 1000;
