import type { Agent, IncomingHttpHeaders, IncomingMessage } from 'node:http';
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
  readonly headers: IncomingHttpHeaders;
}

export interface HttpRequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** A string, or a stream piped out as it comes (its answer may come before it ends). */
  readonly body?: string | Readable;
  /** Aborting rejects with the signal's reason, as fetch does (a TimeoutError for AbortSignal.timeout). */
  readonly signal?: AbortSignal;
  /** No byte either way for this long fails the request with ETIMEDOUT (a frozen peer). */
  readonly idleTimeoutMs?: number;
  /** For https: whose certificate to show and expect (InternalTls.agentFor); else the global agent. */
  readonly agent?: Agent;
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
    const { agent } = options;
    const outgoing = send(
      target,
      { method, headers, signal, agent },
      (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        text(response).then((answer) => {
          // Answered before our body was all sent (a refusal, storage lost
          // mid-upload): the rest is not wanted, and not sent.
          if (!outgoing.writableFinished) outgoing.destroy();
          resolve({
            status,
            ok: status >= 200 && status <= 299,
            text: answer,
            headers: response.headers,
          });
        }, fail);
      },
    );
    outgoing.on('error', fail);
    if (options.idleTimeoutMs) {
      const ms = options.idleTimeoutMs;
      // Quiet because our own body is slow to come (a client trickling an
      // upload in) is not the peer's fault: only a peer that stopped reading
      // what we send, or stopped answering once it was all sent, is cut off.
      // A body that ended just now (in the very tick the socket's timer came
      // due) has not kept the peer waiting: give it its own `ms`.
      let finishedAt = -Infinity;
      outgoing.once('finish', () => (finishedAt = performance.now()));
      const onIdle = () => {
        const sinceFinish = performance.now() - finishedAt;
        if (sinceFinish < ms) outgoing.setTimeout(ms - sinceFinish, onIdle);
        else if (outgoing.writableFinished || outgoing.writableNeedDrain) {
          const error = new Error(`the peer was silent for ${ms} ms`);
          outgoing.destroy(Object.assign(error, { code: 'ETIMEDOUT' }));
        } else outgoing.setTimeout(ms, onIdle);
      };
      outgoing.setTimeout(ms, onIdle);
    }
    if (body === undefined || typeof body === 'string') return void outgoing.end(body);
    pipeline(body, outgoing).catch((error: unknown) => {
      outgoing.destroy();
      fail(error);
    });
  });
}
