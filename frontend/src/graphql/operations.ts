/** Every operation the UI sends, in one place, so the API it depends on is easy to see. */

const fileFields = 'id name size contentType checksum createdAt updatedAt url deletedAt';

export const filesQuery = `
  query Files($first: Int, $after: String, $search: String, $prefix: String, $recursive: Boolean, $orderBy: FileOrder) {
    files(first: $first, after: $after, search: $search, prefix: $prefix, recursive: $recursive, orderBy: $orderBy) {
      nodes { ${fileFields} }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }`;

export const trashQuery = `
  query Trash($first: Int, $after: String) {
    trash(first: $first, after: $after) {
      nodes { ${fileFields} }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }`;

export const foldersQuery = `
  query Folders($prefix: String) {
    folders(prefix: $prefix) { path name }
  }`;

export const uploadLimitsQuery = `
  query UploadLimits {
    uploadLimits { maxFileSize maxFiles }
  }`;

const checkFields = 'name status latencyMs error url';

export const healthQuery = `
  query Health {
    health {
      status version uptimeSeconds checkedAt
      host { hostname platform cpus loadAverage memory { totalBytes freeBytes } }
      process { rssBytes heapUsedBytes }
      dependencies { ${checkFields} }
      services { name status instances { ${checkFields} } }
    }
  }`;

export const uploadFilesMutation = `
  mutation UploadFiles($files: [Upload!]!, $prefix: String, $overwrite: Boolean) {
    uploadFiles(files: $files, prefix: $prefix, overwrite: $overwrite) { ${fileFields} }
  }`;

export const replaceFileMutation = `
  mutation ReplaceFile($id: ID!, $file: Upload!) {
    replaceFile(id: $id, file: $file) { ${fileFields} }
  }`;

export const renameFileMutation = `
  mutation RenameFile($id: ID!, $name: String!, $overwrite: Boolean) {
    renameFile(id: $id, name: $name, overwrite: $overwrite) { ${fileFields} }
  }`;

export const deleteFilesMutation = `
  mutation DeleteFiles($ids: [ID!]!) {
    deleteFiles(ids: $ids)
  }`;

export const restoreFilesMutation = `
  mutation RestoreFiles($ids: [ID!]!) {
    restoreFiles(ids: $ids) { ${fileFields} }
  }`;

export const emptyTrashMutation = `
  mutation EmptyTrash {
    emptyTrash
  }`;

export const moveFolderMutation = `
  mutation MoveFolder($path: String!, $to: String!) {
    moveFolder(path: $path, to: $to)
  }`;
