import type { Agent } from 'node:http';
import { graphql, upload, type GraphQLResponse, type UploadFile } from './graphql.ts';

/** The File fields tests look at. */
export interface ApiFile {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
  readonly checksum: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly url: string;
  readonly deletedAt?: string | null;
}

export const fileFields = 'id name size contentType checksum createdAt updatedAt url';

export interface ListArgs {
  first?: number;
  after?: string | null;
  search?: string;
  prefix?: string;
  recursive?: boolean;
  orderBy?: { field: 'NAME' | 'SIZE' | 'UPDATED_AT'; direction: 'ASC' | 'DESC' };
}

export interface FilePage {
  readonly nodes: ApiFile[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
  readonly totalCount: number | null;
}

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

  #query<T>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
    return graphql<T>(this.url, query, variables, { agent: this.#agent, headers: this.#headers() });
  }

  #upload<T>(
    query: string,
    variables: Record<string, unknown>,
    files: readonly UploadFile[],
  ): Promise<GraphQLResponse<T>> {
    return upload<T>(
      this.url,
      query,
      variables,
      files,
      { 'apollo-require-preflight': 'true', ...this.#headers() },
      this.#agent,
    );
  }

  upload(
    files: ReadonlyArray<Omit<UploadFile, 'variable'>>,
    options: { prefix?: string; overwrite?: boolean } = {},
  ): Promise<GraphQLResponse<{ uploadFiles: ApiFile[] }>> {
    return this.#upload(
      `mutation ($files: [Upload!]!, $prefix: String, $overwrite: Boolean) {
        uploadFiles(files: $files, prefix: $prefix, overwrite: $overwrite) { ${fileFields} }
      }`,
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

  replace(
    id: string,
    filename: string,
    content: UploadFile['content'],
  ): Promise<GraphQLResponse<{ replaceFile: ApiFile }>> {
    return this.#upload(
      `mutation ($id: ID!, $file: Upload!) { replaceFile(id: $id, file: $file) { ${fileFields} } }`,
      { id, file: null },
      [{ variable: 'file', filename, content }],
    );
  }

  list(args: ListArgs = {}): Promise<GraphQLResponse<{ files: FilePage }>> {
    return this.#query(
      `query ($first: Int, $after: String, $search: String, $prefix: String, $recursive: Boolean, $orderBy: FileOrder) {
        files(first: $first, after: $after, search: $search, prefix: $prefix, recursive: $recursive, orderBy: $orderBy) {
          nodes { ${fileFields} } pageInfo { hasNextPage endCursor } totalCount
        }
      }`,
      { ...args },
    );
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

  file(id: string): Promise<GraphQLResponse<{ file: ApiFile | null }>> {
    return this.#query(`query ($id: ID!) { file(id: $id) { ${fileFields} } }`, { id });
  }

  folders(
    prefix?: string,
  ): Promise<GraphQLResponse<{ folders: Array<{ path: string; name: string }> }>> {
    return this.#query('query ($prefix: String) { folders(prefix: $prefix) { path name } }', {
      prefix: prefix ?? null,
    });
  }

  rename(
    id: string,
    name: string,
    overwrite = false,
  ): Promise<GraphQLResponse<{ renameFile: ApiFile }>> {
    return this.#query(
      `mutation ($id: ID!, $name: String!, $overwrite: Boolean) { renameFile(id: $id, name: $name, overwrite: $overwrite) { ${fileFields} } }`,
      { id, name, overwrite },
    );
  }

  delete(ids: string[]): Promise<GraphQLResponse<{ deleteFiles: string[] }>> {
    return this.#query('mutation ($ids: [ID!]!) { deleteFiles(ids: $ids) }', { ids });
  }

  trash(first = 1000, after: string | null = null): Promise<GraphQLResponse<{ trash: FilePage }>> {
    return this.#query(
      `query ($first: Int, $after: String) {
        trash(first: $first, after: $after) {
          nodes { ${fileFields} deletedAt } pageInfo { hasNextPage endCursor } totalCount
        }
      }`,
      { first, after },
    );
  }

  restore(ids: string[]): Promise<GraphQLResponse<{ restoreFiles: ApiFile[] }>> {
    return this.#query(
      `mutation ($ids: [ID!]!) { restoreFiles(ids: $ids) { ${fileFields} deletedAt } }`,
      { ids },
    );
  }

  emptyTrash(): Promise<GraphQLResponse<{ emptyTrash: number }>> {
    return this.#query('mutation { emptyTrash }');
  }

  moveFolder(path: string, to: string): Promise<GraphQLResponse<{ moveFolder: number }>> {
    return this.#query(
      'mutation ($path: String!, $to: String!) { moveFolder(path: $path, to: $to) }',
      {
        path,
        to,
      },
    );
  }

  /** GETs a file's url (a same-origin path) with optional headers. */
  download(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, { headers: { ...this.#headers(), ...headers } });
  }
}
