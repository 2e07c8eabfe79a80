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

const userFields = 'id email name role createdAt disabled';

/** Who is signed in, and whether the first admin is still to be made: what the page opens with. */
export const sessionQuery = `
  query Session {
    me { ${userFields} }
    setupNeeded
  }`;

export const signInMutation = `
  mutation SignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) { ${userFields} }
  }`;

export const setupMutation = `
  mutation Setup($code: String!, $email: String!, $password: String!, $name: String) {
    setup(code: $code, email: $email, password: $password, name: $name) { ${userFields} }
  }`;

export const signOutMutation = `
  mutation SignOut {
    signOut
  }`;

export const changePasswordMutation = `
  mutation ChangePassword($current: String!, $new: String!) {
    changePassword(current: $current, new: $new)
  }`;

const tokenFields = 'id name createdAt expiresAt lastUsedAt';

export const tokensQuery = `
  query Tokens {
    tokens { ${tokenFields} }
  }`;

export const createTokenMutation = `
  mutation CreateToken($name: String!, $expiresInDays: Int) {
    createToken(name: $name, expiresInDays: $expiresInDays) { token info { ${tokenFields} } }
  }`;

export const revokeTokenMutation = `
  mutation RevokeToken($id: ID!) {
    revokeToken(id: $id)
  }`;

export const usersQuery = `
  query Users($first: Int, $after: String) {
    users(first: $first, after: $after) {
      nodes { ${userFields} }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }`;

export const createUserMutation = `
  mutation CreateUser($email: String!, $password: String!, $name: String, $role: Role) {
    createUser(email: $email, password: $password, name: $name, role: $role) { ${userFields} }
  }`;

export const setRoleMutation = `
  mutation SetRole($id: ID!, $role: Role!) {
    setRole(id: $id, role: $role) { ${userFields} }
  }`;

export const disableUserMutation = `
  mutation DisableUser($id: ID!) {
    disableUser(id: $id) { ${userFields} }
  }`;

export const enableUserMutation = `
  mutation EnableUser($id: ID!) {
    enableUser(id: $id) { ${userFields} }
  }`;

const shareLinkFields = 'id url expiresAt fileId createdAt hasPassword';

export const shareLinksQuery = `
  query ShareLinks($fileId: ID) {
    shareLinks(fileId: $fileId) { ${shareLinkFields} }
  }`;

export const createShareLinkMutation = `
  mutation CreateShareLink($fileId: ID!, $expiresInHours: Int, $password: String) {
    createShareLink(fileId: $fileId, expiresInHours: $expiresInHours, password: $password) { ${shareLinkFields} }
  }`;

export const revokeShareLinkMutation = `
  mutation RevokeShareLink($id: ID!) {
    revokeShareLink(id: $id)
  }`;
