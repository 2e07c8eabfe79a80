import type { Agent } from 'node:http';
import {
  DeleteFilesDocument,
  EmptyTrashDocument,
  FileDocument,
  FilesDocument,
  FoldersDocument,
  MoveFolderDocument,
  RenameFileDocument,
  ReplaceFileDocument,
  RestoreFilesDocument,
  TrashDocument,
  UploadFilesDocument,
  type FileFieldsFragment,
  type FilePageFragment,
  type FilesQueryVariables,
  type TypedDocumentString,
} from './generated.ts';
import { graphql, upload, type GraphQLResponse, type UploadFile } from './graphql.ts';

/** The File fields tests look at (FileFields in operations.graphql). */
export type ApiFile = FileFieldsFragment;
/** The fragment itself, for a query of your own: select `...FileFields` and append it. */
export { FileFieldsFragmentDoc as fileFieldsFragment } from './generated.ts';
export type FilePage = FilePageFragment;
export type ListArgs = Omit<FilesQueryVariables, 'after'> & { after?: string | null };

/** The first error code of a response, or undefined when there is none. */
export function errorCode(response: GraphQLResponse<unknown>): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

/**
 * The files API as a script would use it, against any origin that serves it
 * (a files subgraph or the gateway). Methods return whole responses, so
 * tests can look at data and errors alike.
 */
export class FilesClient {
  readonly url: string;
  readonly #agent: Agent | undefined;
  readonly #headers: () => Record<string, string>;

  /**
   * `headers`: who the client is, fresh for each request (a Bearer token
   * through the gateway; testing/src/identity.ts's signedAs straight to a
   * subgraph). `agent`: for a replica behind internal TLS, the certificate
   * to show (InternalTls.agentFor).
   */
  constructor(
    url: string,
    options: { agent?: Agent; headers?: () => Record<string, string> } = {},
  ) {
    this.url = url;
    this.#agent = options.agent;
    this.#headers = options.headers ?? (() => ({}));
  }

  /** The same API as someone else. */
  as(headers: () => Record<string, string>): FilesClient {
    return new FilesClient(this.url, { agent: this.#agent, headers });
  }

  #query<T, V extends Record<string, unknown>>(
    document: TypedDocumentString<T, V>,
    variables: V,
  ): Promise<GraphQLResponse<T>> {
    return graphql<T>(this.url, document.toString(), variables, {
      agent: this.#agent,
      headers: this.#headers(),
    });
  }

  #upload<T, V extends Record<string, unknown>>(
    document: TypedDocumentString<T, V>,
    variables: V,
    files: readonly UploadFile[],
  ): Promise<GraphQLResponse<T>> {
    return upload<T>(
      this.url,
      document.toString(),
      variables,
      files,
      { 'apollo-require-preflight': 'true', ...this.#headers() },
      this.#agent,
    );
  }

  upload(
    files: ReadonlyArray<Omit<UploadFile, 'variable'>>,
    options: { prefix?: string; overwrite?: boolean } = {},
  ) {
    return this.#upload(
      UploadFilesDocument,
      {
        files: files.map(() => null),
        prefix: options.prefix ?? null,
        overwrite: options.overwrite ?? false,
      },
      files.map((file, index) => ({ ...file, variable: `files.${index}` })),
    );
  }

  /** Uploads one file and returns it; throws with the error when refused. */
  async put(
    filename: string,
    content: UploadFile['content'],
    options: { prefix?: string; contentType?: string } = {},
  ): Promise<ApiFile> {
    const response = await this.upload(
      [{ filename, content, ...(options.contentType ? { contentType: options.contentType } : {}) }],
      options,
    );
    const file = response.data?.uploadFiles[0];
    if (!file) throw new Error(`upload of ${filename} refused: ${JSON.stringify(response.errors)}`);
    return file;
  }

  replace(id: string, filename: string, content: UploadFile['content']) {
    return this.#upload(ReplaceFileDocument, { id, file: null }, [
      { variable: 'file', filename, content },
    ]);
  }

  list(args: ListArgs = {}) {
    return this.#query(FilesDocument, { ...args });
  }

  /** Every file, following cursors page by page. */
  async all(args: ListArgs = {}): Promise<ApiFile[]> {
    const files: ApiFile[] = [];
    let after: string | null = null;
    for (;;) {
      const response = await this.list({ ...args, after });
      const page = response.data?.files;
      if (!page) throw new Error(`listing failed: ${JSON.stringify(response.errors)}`);
      files.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) return files;
      after = page.pageInfo.endCursor;
    }
  }

  file(id: string) {
    return this.#query(FileDocument, { id });
  }

  folders(prefix?: string) {
    return this.#query(FoldersDocument, { prefix: prefix ?? null });
  }

  rename(id: string, name: string, overwrite = false) {
    return this.#query(RenameFileDocument, { id, name, overwrite });
  }

  delete(ids: string[]) {
    return this.#query(DeleteFilesDocument, { ids });
  }

  trash(first = 1000, after: string | null = null) {
    return this.#query(TrashDocument, { first, after });
  }

  restore(ids: string[]) {
    return this.#query(RestoreFilesDocument, { ids });
  }

  emptyTrash() {
    return this.#query(EmptyTrashDocument, {});
  }

  moveFolder(path: string, to: string) {
    return this.#query(MoveFolderDocument, { path, to });
  }

  /** GETs a file's url (a same-origin path) with optional headers. */
  download(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, { headers: { ...this.#headers(), ...headers } });
  }
}
