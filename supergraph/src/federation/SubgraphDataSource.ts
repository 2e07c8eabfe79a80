import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { RequestContext } from '@filegraph/shared/apollo';
import { formatBytes } from '@filegraph/shared/config';
import { AppError, isErrorCode, type ErrorCode } from '@filegraph/shared/errors';
import { GraphQLError } from 'graphql';
import { requestIdHeader } from '@filegraph/shared/http';
import { multipartBody } from '@filegraph/shared/multipart';
import { operationHeader } from './operationHeader.ts';
import { findUploads, withoutUploads, type FoundUpload } from './uploads.ts';

/** Whether the operation a subgraph request belongs to is a query (safe to replay) or not. */
function operationType(
  options: GraphQLDataSourceProcessOptions<RequestContext>,
): 'query' | 'mutation' {
  // Schema loading and health checks carry no incoming operation: they are reads.
  if (!('incomingRequestContext' in options)) return 'query';
  return options.incomingRequestContext.operation?.operation === 'query' ? 'query' : 'mutation';
}

const unreachable = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
]);

/**
 * How the gateway talks to one subgraph. Plain operations go through
 * Apollo's RemoteGraphQLDataSource; an operation carrying uploads (which
 * Apollo would send as `{}`) is re-encoded as a multipart request and
 * streamed, file by file, while the files are still arriving from the client.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RequestContext> {
  readonly #name: string;
  readonly #maxFileSize: number;

  constructor(options: { name: string; url: string; maxFileSize: number }) {
    super({ url: options.url });
    this.#name = options.name;
    this.#maxFileSize = options.maxFileSize;
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<RequestContext>): void {
    const { request, context } = options;
    if (context.requestId) request.http?.headers.set(requestIdHeader, context.requestId);
    request.http?.headers.set(operationHeader, operationType(options));
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<RequestContext>,
  ): Promise<GatewayGraphQLResponse> {
    const uploads = findUploads(options.request.variables);
    if (uploads.length === 0) return super.process(options);
    return this.#sendWithUploads(options, uploads);
  }

  override didEncounterError(error: Error): never {
    throw this.#explain(error);
  }

  /** A subgraph's non-2xx answer keeps the code and message the subgraph gave. */
  override async errorFromResponse(response: {
    status: number;
    text(): Promise<string>;
  }): Promise<GraphQLError> {
    return this.#errorFrom(response.status, await response.text());
  }

  #errorFrom(status: number, body: string): GraphQLError {
    const error = (code: ErrorCode, message: string) =>
      new GraphQLError(message, { extensions: { code } });
    try {
      const first = (
        JSON.parse(body) as {
          errors?: Array<{ message?: string; extensions?: { code?: unknown } }>;
        }
      ).errors?.[0];
      const code = first?.extensions?.code;
      if (first?.message && isErrorCode(code)) return error(code, first.message);
    } catch {
      // Not our JSON: a proxy or a crashed process answered.
    }
    if (status >= 500) return error('UNAVAILABLE', this.#unavailable().message);
    return error(
      'BAD_USER_INPUT',
      `The ${this.#name} service refused the request (HTTP ${status}).`,
    );
  }

  #unavailable(cause?: unknown): AppError {
    return new AppError(
      'UNAVAILABLE',
      `The ${this.#name} service is not answering; try again shortly.`,
      { cause },
    );
  }

  #explain(error: unknown): unknown {
    if (error instanceof AppError || error instanceof GraphQLError) return error;
    const status = (error as { status?: unknown }).status;
    if (status === 413) {
      return new AppError(
        'PAYLOAD_TOO_LARGE',
        `A file is larger than ${formatBytes(this.#maxFileSize)}, the most one file may hold (MAX_FILE_SIZE).`,
      );
    }
    if (status === 499) {
      return new AppError(
        'CLIENT_CLOSED_REQUEST',
        'The upload was cut off before it ended; nothing was stored.',
      );
    }
    if (status === 400 && error instanceof Error)
      return new AppError('BAD_USER_INPUT', error.message);
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && unreachable.has(code)) return this.#unavailable(error);
    if ((error as { type?: unknown }).type === 'system') return this.#unavailable(error);
    return error;
  }

  async #sendWithUploads(
    { request, context }: GraphQLDataSourceProcessOptions<RequestContext>,
    uploads: readonly FoundUpload[],
  ): Promise<GatewayGraphQLResponse> {
    const operations = {
      query: request.query,
      operationName: request.operationName,
      variables: withoutUploads(request.variables),
    };
    const map = Object.fromEntries(
      uploads.map((upload, index) => [String(index), [`variables.${upload.path}`]]),
    );
    const { contentType, body } = multipartBody(
      operations,
      map,
      uploads.map(({ upload }) => async () => {
        const file = await upload.promise;
        return {
          filename: file.filename,
          contentType: file.mimetype,
          content: file.createReadStream(),
        };
      }),
    );
    const headers: Record<string, string> = {
      'content-type': contentType,
      [operationHeader]: 'mutation',
      // Apollo Server's CSRF prevention wants this on every multipart request.
      'apollo-require-preflight': 'true',
    };
    if (context.requestId) headers[requestIdHeader] = context.requestId;
    try {
      const { status, text } = await post(new URL(this.url), headers, Readable.from(body));
      if (status < 200 || status > 299) throw this.#errorFrom(status, text);
      return JSON.parse(text) as GatewayGraphQLResponse;
    } catch (error) {
      throw this.#explain(error);
    }
  }
}

/**
 * POSTs a streamed body and reads the (small, JSON) answer. The answer may
 * come before the body is fully sent; a failure of the body aborts the request.
 */
function post(
  url: URL,
  headers: Record<string, string>,
  body: Readable,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(url, { method: 'POST', headers }, (response: IncomingMessage) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    pipeline(body, outgoing).catch((error: unknown) => {
      outgoing.destroy();
      reject(error);
    });
  });
}
