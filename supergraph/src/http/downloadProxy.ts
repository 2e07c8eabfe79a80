import type { Agent } from 'node:http';
import { json } from 'node:stream/consumers';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '@filegraph/shared/errors';
import { handoffOfferHeader, handoffType, type Handoff } from '@filegraph/shared/handoff';
import { requestIdHeader, requestIdOf, sendError } from '@filegraph/shared/http';
import type { Logger } from '@filegraph/shared/logger';
import { operationHeader } from '../federation/operationHeader.ts';
import { forward, pickHeaders, relay, relayBody } from './forward.ts';

/** Request headers a download depends on; everything else stays at the gateway. */
const forwarded = ['range', 'if-range', 'if-none-match', 'if-modified-since'];

/** How often a hand-off is asked again when the file changed between check and fetch. */
const handoffAttempts = 3;

/**
 * GET|HEAD /download/:id on the public origin. The files subgraph (through
 * HAProxy in the distributed stack) checks the file and decides the answer;
 * when `handoff` is on and the store is MinIO, it hands the gateway a
 * presigned URL and the gateway streams the bytes straight from MinIO
 * (shared/handoff.ts), else the files subgraph streams them itself.
 * `filesUrl` answers where the files subgraph's GraphQL endpoint is now;
 * downloads sit beside it (…/files/graphql → …/files/download/:id).
 */
export function downloadProxy(
  filesUrl: () => string | undefined,
  logger: Logger,
  handoff: boolean,
  /** Internal TLS: how to reach the files service (or the router in front of it). */
  filesAgent: Agent | undefined,
  /** Who is asking, signed for the files service (and for a share link, its password). */
  identityHeaders: (req: Request) => Record<string, string>,
  /** Where on the files service, relative to its GraphQL endpoint's folder. */
  upstreamPath: (req: Request) => string = (req) => req.originalUrl.slice(1),
): RequestHandler {
  const download = (req: Request, res: Response, attemptsLeft: number): void => {
    const graphql = filesUrl();
    if (!graphql) {
      return sendError(
        res,
        new AppError('UNAVAILABLE', 'The files service is not known yet; try again shortly.'),
      );
    }
    const offer = attemptsLeft > 0 && req.method === 'GET';
    const headers = {
      ...pickHeaders(req, forwarded),
      [requestIdHeader]: requestIdOf(req),
      ...identityHeaders(req),
      // A download is a read: the router may replay it on another replica.
      [operationHeader]: 'query',
      ...(offer && { [handoffOfferHeader]: '1' }),
    };
    const unreachable = (error: Error) => {
      logger.warn('download failed: files service not answering', {
        err: error,
        requestId: requestIdOf(req),
      });
      sendError(
        res,
        new AppError('UNAVAILABLE', 'The files service is not answering; try again shortly.'),
      );
    };
    const fetchHandedOff = (given: Handoff) => {
      // Without the hand-off the files service streams the bytes itself.
      const streamedByFiles = (why: string, error?: Error) => {
        logger.warn(`download hand-off failed (${why}); the files service streams it`, {
          err: error,
          requestId: requestIdOf(req),
        });
        download(req, res, 0);
      };
      const expected = given.fetchHeaders.Range ? 206 : 200;
      forward(
        req,
        res,
        new URL(given.url),
        given.fetchHeaders,
        (error) => streamedByFiles('storage not reachable from the gateway', error),
        (answer) => {
          if (answer.statusCode === expected) {
            res.status(given.status).set(given.headers);
            return relayBody(answer, res);
          }
          answer.resume();
          // 412: replaced or removed since the files service looked; ask again.
          if (answer.statusCode === 412 && attemptsLeft > 1)
            return download(req, res, attemptsLeft - 1);
          streamedByFiles(`storage answered HTTP ${answer.statusCode}`);
        },
      );
    };
    forward(
      req,
      res,
      new URL(upstreamPath(req), new URL('.', graphql)),
      headers,
      unreachable,
      (answer) => {
        if (answer.headers['content-type'] !== handoffType) return relay(answer, res);
        (json(answer) as Promise<Handoff>).then(fetchHandedOff, (error: Error) =>
          unreachable(new Error('the files service broke off its hand-off', { cause: error })),
        );
      },
      filesAgent,
    );
  };
  return (req, res) => download(req, res, handoff ? handoffAttempts : 0);
}
