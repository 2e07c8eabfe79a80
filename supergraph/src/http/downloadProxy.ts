import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '@filegraph/shared/errors';
import { requestIdHeader, requestIdOf, sendError } from '@filegraph/shared/http';
import type { Logger } from '@filegraph/shared/logger';
import { operationHeader } from '../federation/operationHeader.ts';
import { forward, pickHeaders } from './forward.ts';

/** Request headers a download depends on; everything else stays at the gateway. */
const forwarded = ['range', 'if-range', 'if-none-match', 'if-modified-since'];

/**
 * GET|HEAD /download/:id on the public origin, streamed from the files
 * subgraph (through HAProxy in the distributed stack). `filesUrl` answers
 * where the files subgraph's GraphQL endpoint is now; downloads sit beside
 * it (…/files/graphql → …/files/download/:id).
 */
export function downloadProxy(filesUrl: () => string | undefined, logger: Logger): RequestHandler {
  return (req: Request, res: Response) => {
    const graphql = filesUrl();
    if (!graphql) {
      return sendError(
        res,
        new AppError('UNAVAILABLE', 'The files service is not known yet; try again shortly.'),
      );
    }
    const headers = {
      ...pickHeaders(req, forwarded),
      [requestIdHeader]: requestIdOf(req),
      // A download is a read: the router may replay it on another replica.
      [operationHeader]: 'query',
    };
    forward(
      req,
      res,
      new URL(req.originalUrl.slice(1), new URL('.', graphql)),
      headers,
      (error) => {
        logger.warn('download failed: files service not answering', {
          err: error,
          requestId: requestIdOf(req),
        });
        sendError(
          res,
          new AppError('UNAVAILABLE', 'The files service is not answering; try again shortly.'),
        );
      },
    );
  };
}
