import type { IncomingMessage } from 'node:http';
import { multipartBody, type MultipartFile } from '@filegraph/shared/multipart';
import type { Endpoint } from './config.ts';
import { refused, unreachable } from './errors.ts';
import { readText, send } from './http.ts';
import { operations, type ApiFile, type TypedDocumentString } from './operations.ts';

/** One file of an upload request: its name in the folder and how to read its bytes. */
export interface OutgoingFile {
  readonly filename: string;
  /** Opened when the request body reaches the file, so only one is open at a time. */
  open(): AsyncIterable<Uint8Array>;
}

interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message?: string; extensions?: { code?: string } }>;
}

/**
 * The filegraph API as the CLI uses it: GraphQL over JSON, uploads as
 * streamed GraphQL multipart requests, downloads as a plain GET. Every
 * request carries the token when there is one. A GraphQL error becomes a
 * refusal (exit 2) with the server's code, UNAUTHENTICATED with how to get
 * a token; an answer that is not GraphQL means something else answered
 * (exit 3).
 */
export class Client {
  readonly #endpoint: Endpoint;

  constructor(endpoint: Endpoint) {
    this.#endpoint = endpoint;
  }

  get base(): string {
    return this.#endpoint.base;
  }

  #headers(extra: Record<string, string>): Record<string, string> {
    const { token } = this.#endpoint;
    return { ...extra, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  }

  async query<T, V>(document: TypedDocumentString<T, V>, variables: V): Promise<T> {
    const answer = await send(`${this.base}/graphql`, {
      method: 'POST',
      headers: this.#headers({ 'content-type': 'application/json', accept: 'application/json' }),
      body: JSON.stringify({ query: document.toString(), variables }),
    });
    return this.#data<T>(answer.status, await readText(answer.body));
  }

  /**
   * uploadFiles with these files, streamed one after another in one
   * request; `prefix` is the folder. Resolves with the stored files in the
   * order sent.
   */
  async upload(
    files: readonly OutgoingFile[],
    options: { prefix: string; overwrite: boolean },
  ): Promise<ApiFile[]> {
    const { contentType, body } = multipartBody(
      {
        query: operations.uploadFiles.toString(),
        variables: { files: files.map(() => null), ...options },
      },
      Object.fromEntries(files.map((_, index) => [String(index), [`variables.files.${index}`]])),
      files.map((file) => async (): Promise<MultipartFile> => ({
        filename: file.filename,
        // The server gives a type by the name's extension.
        contentType: 'application/octet-stream',
        content: file.open(),
      })),
    );
    const answer = await send(`${this.base}/graphql`, {
      method: 'POST',
      // Apollo's CSRF protection refuses multipart requests without it.
      headers: this.#headers({ 'content-type': contentType, 'apollo-require-preflight': 'true' }),
      body,
    });
    const data = await this.#data<{ uploadFiles: ApiFile[] }>(
      answer.status,
      await readText(answer.body),
    );
    return data.uploadFiles;
  }

  /** GETs a file's bytes; `path` is its `url` (same-origin). Refusals come back as errors. */
  async download(
    path: string,
  ): Promise<{ headers: IncomingMessage['headers']; body: IncomingMessage }> {
    const answer = await send(`${this.base}${path}`, { method: 'GET', headers: this.#headers({}) });
    if (answer.status === 200) return answer;
    // Refusals come in the GraphQL error shape: this throws the server's.
    this.#data(answer.status, await readText(answer.body));
    throw unreachable(`the download answered HTTP ${answer.status}`, 'NOT_FILEGRAPH');
  }

  /** What to do when the server wants to know who is asking: a script's first hurdle, so it says how. */
  #notSignedIn(): string {
    const how =
      "set FILEGRAPH_TOKEN; create one in the web UI's Tokens page or with createToken (or pass --token)";
    return this.#endpoint.token
      ? `${this.base} refused the API token (unknown, expired or revoked): ${how}`
      : `${this.base} needs an API token: ${how}`;
  }

  #data<T>(status: number, text: string): T {
    let answer: GraphQLAnswer | null = null;
    try {
      answer = JSON.parse(text) as GraphQLAnswer | null;
    } catch {
      // Not JSON: an authenticating proxy in front may refuse in its own words.
    }
    if (typeof answer !== 'object' || answer === null) {
      if (status === 401 || status === 403 || status === 407)
        throw refused(`HTTP_${status}`, `${this.base} refused the request (HTTP ${status})`);
      throw unreachable(
        `${this.base} did not answer like filegraph (HTTP ${status}: ${JSON.stringify(text.slice(0, 120))})`,
        'NOT_FILEGRAPH',
      );
    }
    const first = Array.isArray(answer.errors) ? answer.errors[0] : undefined;
    if (first) {
      const code = first.extensions?.code ?? `HTTP_${status}`;
      if (code === 'UNAUTHENTICATED') throw refused(code, this.#notSignedIn());
      throw refused(code, first.message ?? `refused with HTTP ${status}`);
    }
    if (!answer.data || typeof answer.data !== 'object')
      throw unreachable(`${this.base} answered HTTP ${status} with no data`, 'NOT_FILEGRAPH');
    return answer.data as T;
  }
}
