import type { Agent, IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import { http, keptAlive } from '@filegraph/shared/nodeHttp';
import type { Request, Response } from 'express';

const agents = {
  http: new http.Agent(keptAlive),
  https: new HttpsAgent(keptAlive),
};
/** Per-connection headers that describe the hop, not the content (RFC 9110 §7.6.1). */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authenticate',
]);

/** The request's headers named in `names`, for passing on. */
export function pickHeaders(req: Request, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = req.get(name);
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

/**
 * Streams `body` to the client with backpressure: a slow client slows the
 * upstream, memory stays flat.
 */
export function relayBody(body: IncomingMessage, res: Response): void {
  pipeline(body, res).catch(() => {
    // The client left or the upstream broke off; either way this answer is over.
    if (!res.destroyed) res.destroy();
  });
}

/** Passes an upstream answer on as it is, minus its hop-by-hop headers. */
export function relay(answer: IncomingMessage, res: Response): void {
  res.status(answer.statusCode ?? 502);
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined && !hopByHop.has(name)) res.setHeader(name, value);
  }
  relayBody(answer, res);
}

/**
 * Sends a GET or HEAD to `target` and hands its answer to `respond` (by
 * default passed on as it is). When the upstream cannot be reached,
 * `unreachable` answers instead; a client that leaves cancels the upstream
 * request.
 */
export function forward(
  req: Request,
  res: Response,
  target: URL,
  headers: Record<string, string>,
  unreachable: (error: Error) => void,
  respond: (answer: IncomingMessage, res: Response) => void = relay,
  /** For an internal hop with TLS: InternalTls.agentFor(the service). */
  agent?: Agent,
): void {
  const secure = target.protocol === 'https:';
  const send = secure ? httpsRequest : http.request;
  const upstream = send(
    target,
    { method: req.method, headers, agent: agent ?? (secure ? agents.https : agents.http) },
    (answer) => respond(answer, res),
  );
  upstream.on('error', (error) => {
    if (res.headersSent) return void res.destroy();
    unreachable(error);
  });
  const cancel = () => {
    if (!res.writableFinished) upstream.destroy();
  };
  res.on('close', cancel);
  upstream.on('close', () => res.off('close', cancel));
  upstream.end();
}
