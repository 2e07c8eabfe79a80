import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { text } from 'node:stream/consumers';
import { http } from './nodeHttp.ts';

/** An answer read whole: the services only ask for small JSON ones. */
export interface HttpAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly text: string;
}

export interface HttpRequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** A string, or a stream piped out as it comes (its answer may come before it ends). */
  readonly body?: string | Readable;
  /** Aborting rejects with the signal's reason, as fetch does (a TimeoutError for AbortSignal.timeout). */
  readonly signal?: AbortSignal;
}

/**
 * What the services use in place of fetch: one request with node:http(s),
 * over the kept-alive global agent. fetch would load undici, 12-16 MiB of
 * RSS that a service otherwise never loads (see nodeHttp.ts).
 */
export function request(url: URL | string, options: HttpRequestOptions = {}): Promise<HttpAnswer> {
  const { method = 'GET', body, signal } = options;
  const target = typeof url === 'string' ? new URL(url) : url;
  const headers = { ...options.headers };
  if (typeof body === 'string') headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise<HttpAnswer>((resolve, reject) => {
    const fail = (error: unknown) => reject(signal?.aborted ? signal.reason : error);
    const send = target.protocol === 'https:' ? httpsRequest : http.request;
    const outgoing = send(target, { method, headers, signal }, (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      text(response).then(
        (answer) => resolve({ status, ok: status >= 200 && status <= 299, text: answer }),
        fail,
      );
    });
    outgoing.on('error', fail);
    if (body === undefined || typeof body === 'string') return void outgoing.end(body);
    pipeline(body, outgoing).catch((error: unknown) => {
      outgoing.destroy();
      fail(error);
    });
  });
}
