import type { Agent } from 'node:http';
import { Readable } from 'node:stream';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type {
  GatewayGraphQLRequest,
  GatewayGraphQLResponse,
} from '@apollo/server-gateway-interface';
import type { RequestContext } from '@filegraph/shared/apollo';
import { AppError, isErrorCode, type ErrorCode } from '@filegraph/shared/errors';
import { GraphQLError } from 'graphql';
import { requestIdHeader } from '@filegraph/shared/http';
import { request as httpRequest, type HttpAnswer } from '@filegraph/shared/httpClient';
import { multipartBody } from '@filegraph/shared/multipart';
import type { GatewayIdentity } from '../identity/GatewayIdentity.ts';
import { sessionHandoffHeader } from '../identity/credentials.ts';
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

const jsonType = 'application/json';

/** The operation as a subgraph receives it: everything but the HTTP details. */
function withoutHttp({
  http: _http,
  ...operation
}: GatewayGraphQLRequest): Omit<GatewayGraphQLRequest, 'http'> {
  return operation;
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
 * How the gateway talks to one subgraph: every operation is POSTed with
 * node:http over kept-alive connections. An operation carrying uploads
 * (which Apollo's RemoteGraphQLDataSource would send as `{}`) is re-encoded
 * as a multipart request and streamed, file by file, while the files are
 * still arriving from the client. (Apollo's RemoteGraphQLDataSource went
 * through make-fetch-happen, minipass and agent-base, which cost the gateway
 * about 0.5 ms per query.)
 */
export class SubgraphDataSource implements GraphQLDataSource<RequestContext> {
  readonly #name: string;
  readonly #url: URL;
  readonly #idleTimeoutMs: number;
  readonly #agent: Agent | undefined;
  readonly #identity: GatewayIdentity;

  constructor(options: {
    name: string;
    url: string;
    idleTimeoutMs: number;
    /** Internal TLS: the certificate to show, and the one expected (InternalTls.agentFor). */
    agent?: Agent;
    /** Who is calling, signed into every request; the session handed back by accounts. */
    identity: GatewayIdentity;
  }) {
    this.#name = options.name;
    this.#url = new URL(options.url);
    this.#idleTimeoutMs = options.idleTimeoutMs;
    this.#agent = options.agent;
    this.#identity = options.identity;
  }

  async process(
    options: GraphQLDataSourceProcessOptions<RequestContext>,
  ): Promise<GatewayGraphQLResponse> {
    const { request, context } = options;
    const uploads = findUploads(request.variables);
    const { body, headers }: { body: Readable | string; headers: Record<string, string> } =
      uploads.length === 0
        ? { body: JSON.stringify(withoutHttp(request)), headers: { 'content-type': jsonType } }
        : this.#multipart(request, uploads);
    if (context.requestId) headers[requestIdHeader] = context.requestId;
    headers[operationHeader] = operationType(options);
    // Schema loading and checks have no incoming request: they go as nobody's.
    const req = (context as Partial<RequestContext>).res?.req;
    Object.assign(headers, this.#identity.headersFor(req, this.#name, context.identity));
    let answer: HttpAnswer;
    try {
      answer = await httpRequest(this.#url, {
        method: 'POST',
        headers,
        body,
        idleTimeoutMs: this.#idleTimeoutMs,
        agent: this.#agent,
      });
    } catch (error) {
      throw this.#explain(error);
    }
    const res = (context as Partial<RequestContext>).res;
    if (this.#name === 'accounts' && req && res) {
      const handoff = answer.headers[sessionHandoffHeader];
      this.#identity.fromAccounts(req, res, Array.isArray(handoff) ? handoff[0] : handoff);
    }
    if (!answer.ok) throw this.#errorFrom(answer.status, answer.text);
    try {
      const result: unknown = JSON.parse(answer.text);
      if (typeof result === 'object' && result !== null) return result as GatewayGraphQLResponse;
    } catch {
      // Not JSON: answered below.
    }
    throw this.#unavailable(new Error(`not a GraphQL answer: ${answer.text.slice(0, 200)}`));
  }

  #multipart(
    request: GatewayGraphQLRequest,
    uploads: readonly FoundUpload[],
  ): { body: Readable; headers: Record<string, string> } {
    const operations = { ...withoutHttp(request), variables: withoutUploads(request.variables) };
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
    return {
      body: Readable.from(body),
      headers: {
        'content-type': contentType,
        // Apollo Server's CSRF prevention wants this on every multipart request.
        'apollo-require-preflight': 'true',
      },
    };
  }

  /** A subgraph's non-2xx answer keeps the code and message the subgraph gave. */
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

  /** A failed request: the upload's own error (AppError) as it is, an unreachable subgraph as UNAVAILABLE. */
  #explain(error: unknown): unknown {
    if (error instanceof AppError || error instanceof GraphQLError) return error;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && unreachable.has(code)) return this.#unavailable(error);
    return error;
  }
}
