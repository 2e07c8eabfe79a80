import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { text } from 'node:stream/consumers';

// One kept-alive pool for every request the bench times, like a real client's.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/**
 * Where a request goes and through what: plain HTTP on the bench's own
 * pool, or, to a service behind internal TLS (https:), with `through`, the
 * agent holding the certificate to show (InternalTls.agentFor).
 */
function sender(url: string, through: Agent | undefined) {
  return url.startsWith('https:')
    ? { send: httpsRequest, agent: through }
    : { send: httpRequest, agent: through ?? agent };
}

/**
 * How a request is sent beyond its URL: `headers`, who sends it (a Bearer
 * token through the gateway, the gateway's signed identity to a replica);
 * `through`, see sender.
 */
export interface SendOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly through?: Agent;
}

export function httpGet(url: string, options: SendOptions = {}): Promise<IncomingMessage> {
  const { send, agent: using } = sender(url, options.through);
  return new Promise((resolve, reject) => {
    send(url, { agent: using, headers: { ...options.headers } }, resolve)
      .on('error', reject)
      .end();
  });
}

export interface Answer<T> {
  readonly status: number;
  readonly text: string;
  readonly data: T | undefined;
  readonly errors: unknown;
  /** From sending the request to the last byte of the answer. */
  readonly ms: number;
}

/** POSTs one GraphQL query as JSON to `endpoint` (…/graphql) and times it. */
export function postGraphql<T>(
  endpoint: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: SendOptions = {},
): Promise<Answer<T>> {
  const body = JSON.stringify({ query, variables });
  const { send, agent: using } = sender(endpoint, options.through);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    send(
      endpoint,
      {
        method: 'POST',
        agent: using,
        headers: {
          ...options.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        text(response).then((answer) => {
          const ms = performance.now() - started;
          let parsed: { data?: T; errors?: unknown } = {};
          try {
            parsed = JSON.parse(answer) as typeof parsed;
          } catch {
            // kept as text; the caller's check fails on the missing data
          }
          resolve({
            status: response.statusCode ?? 0,
            text: answer,
            data: parsed.data,
            errors: parsed.errors,
            ms,
          });
        }, reject);
      },
    )
      .on('error', reject)
      .end(body);
  });
}

/** `answer.data`, or an error naming what was asked and what came back. */
export function dataOf<T>(answer: Answer<T>, what: string): T {
  if (answer.status !== 200 || answer.data === undefined || answer.errors !== undefined)
    throw new Error(`${what}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`);
  return answer.data;
}
