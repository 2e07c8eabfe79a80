import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { unreachable } from './errors.ts';

/**
 * One HTTP exchange with the server, on node:http: request bodies stream
 * from an async iterable (a multipart upload of any size costs no memory),
 * responses are handed over unread. Failing to connect, a connection cut
 * before the answer and silence for `idleMs` (2 minutes), before or during
 * the answer, are UNREACHABLE (exit 3).
 */

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: IncomingMessage;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: AsyncIterable<Uint8Array> | string;
  /** Longest the connection may stay silent both ways. */
  readonly idleMs?: number;
}

const defaultIdleMs = 120_000;

/** Words for the errors node:net and node:tls give, so a message says what went wrong. */
function describe(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is filegraph running there?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'no such host';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'the connection was closed';
    case 'ETIMEDOUT':
      return 'the connection timed out';
    case 'EIDLE':
      return error.message;
    default:
      return error.code ? `${error.message} (${error.code})` : error.message;
  }
}

export function send(url: string, init: HttpRequest): Promise<HttpAnswer> {
  const target = new URL(url);
  const idleMs = init.idleMs ?? defaultIdleMs;
  return new Promise((resolve, reject) => {
    let answered = false;
    let received: IncomingMessage | undefined;
    const fail = (error: NodeJS.ErrnoException) => {
      if (answered) return;
      answered = true;
      reject(unreachable(`cannot reach ${target.origin}: ${describe(error)}`));
    };
    const outgoing = (target.protocol === 'https:' ? httpsRequest : httpRequest)(
      target,
      { method: init.method, headers: init.headers },
      (response) => {
        answered = true;
        received = response;
        // The idle limit stays on: a body that stops coming then breaks off (readText, get).
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: response });
      },
    );
    outgoing.setTimeout(idleMs, () => {
      const silence = Object.assign(new Error(`nothing came for ${idleMs / 1000} s`), {
        code: 'EIDLE',
      });
      outgoing.destroy(silence);
      received?.destroy(silence);
    });
    outgoing.on('error', fail);
    if (init.body === undefined || typeof init.body === 'string') {
      outgoing.end(init.body);
      return;
    }
    // A server may answer before it has read the whole body (it refused the
    // request): then the answer counts, not the broken pipe.
    pipeline(Readable.from(init.body), outgoing).catch((error: NodeJS.ErrnoException) => {
      outgoing.destroy();
      fail(error);
    });
  });
}

/** The whole body as text; a connection cut before its end is UNREACHABLE. */
export async function readText(body: IncomingMessage): Promise<string> {
  body.setEncoding('utf8');
  let text = '';
  try {
    for await (const chunk of body) text += chunk as string;
  } catch (error) {
    throw unreachable(`the answer was cut off: ${describe(error as NodeJS.ErrnoException)}`);
  }
  if (!body.complete) throw unreachable('the answer was cut off before its end');
  return text;
}
