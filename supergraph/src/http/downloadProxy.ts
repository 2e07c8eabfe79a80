import { Agent, request } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '@filegraph/shared/errors';
import { requestIdHeader, requestIdOf, sendError } from '@filegraph/shared/http';
import type { Logger } from '@filegraph/shared/logger';
import { operationHeader } from '../federation/operationHeader.ts';

const agent = new Agent({ keepAlive: true });

/** Request headers a download depends on; everything else stays at the gateway. */
const forwarded = ['range', 'if-range', 'if-none-match', 'if-modified-since'];
/** Per-connection headers that describe the hop, not the file (RFC 9110 §7.6.1). */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authenticate',
]);

/**
 * GET|HEAD /download/:id on the public origin, streamed from the files
 * subgraph (through HAProxy in the distributed stack). Bytes flow through
 * with backpressure: a slow client slows the subgraph, memory stays flat.
 * `filesUrl` answers where the files subgraph's GraphQL endpoint is now;
 * downloads sit beside it (…/files/graphql → …/files/download/:id).
 */
export function downloadProxy(filesUrl: () => string | undefined, logger: Logger): RequestHandler {
  return (req: Request, res: Response) => {
    const graphql = filesUrl();
    const base = graphql ? new URL('.', graphql) : undefined;
    if (!base)
      return sendError(
        res,
        new AppError('UNAVAILABLE', 'The files service is not known yet; try again shortly.'),
      );
    // A download is a read: the router may replay it on another replica.
    const headers: Record<string, string> = {
      [requestIdHeader]: requestIdOf(req),
      [operationHeader]: 'query',
    };
    for (const name of forwarded) {
      const value = req.get(name);
      if (value !== undefined) headers[name] = value;
    }
    const upstream = request(
      new URL(req.originalUrl.slice(1), base),
      { method: req.method, headers, agent },
      (answer) => {
        res.status(answer.statusCode ?? 502);
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined && !hopByHop.has(name)) res.setHeader(name, value);
        }
        pipeline(answer, res).catch(() => {
          // The client left or the subgraph broke off; either way this response is over.
          if (!res.destroyed) res.destroy();
        });
      },
    );
    upstream.on('error', (error) => {
      if (res.headersSent) return void res.destroy();
      logger.warn('download failed: files service not answering', {
        err: error,
        requestId: requestIdOf(req),
      });
      sendError(
        res,
        new AppError('UNAVAILABLE', 'The files service is not answering; try again shortly.'),
      );
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end();
  };
}
