import type { Agent } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '@filegraph/shared/errors';
import { requestIdHeader, requestIdOf, sendError } from '@filegraph/shared/http';
import { request } from '@filegraph/shared/httpClient';
import { notSignedIn } from '@filegraph/shared/identity';
import type { Logger } from '@filegraph/shared/logger';
import { http } from '@filegraph/shared/nodeHttp';
import type { GatewayIdentity } from '../identity/GatewayIdentity.ts';
import { ReportOwnersDocument, type ReportOwnersQuery } from '../generated.ts';
import { relay } from './forward.ts';

type Owner = ReportOwnersQuery['users']['nodes'][number];

const unavailable = (service: string, cause?: unknown) =>
  new AppError('UNAVAILABLE', `The ${service} service is not answering; try again shortly.`, {
    cause,
  });

export interface UsageReportOptions {
  /** Where each subgraph's GraphQL endpoint is now; undefined while it is not composed. */
  readonly urlOf: (subgraph: 'files' | 'accounts') => string | undefined;
  /** Internal TLS: how to reach each (or the router in front of them). */
  readonly agentFor: (subgraph: string) => Agent | undefined;
  readonly identity: GatewayIdentity;
  readonly logger: Logger;
}

/**
 * GET /reports/usage.xlsx and /reports/usage.csv?part=files|totals on the
 * public origin, for admins (issue 17), authorised as downloads are: by
 * the session cookie or token the gateway reads. The catalogue knows
 * owners by id only, so the gateway asks the accounts service for every
 * account's email (as the admin; users are a few per thousand files) and
 * sends them to the files service in the body of a POST; the files
 * service checks the request again and streams the report, relayed here
 * as it comes.
 */
export function usageReportRoute(options: UsageReportOptions): RequestHandler {
  const { urlOf, agentFor, identity, logger } = options;

  async function owners(req: Request): Promise<Owner[]> {
    const url = urlOf('accounts');
    if (!url) throw unavailable('accounts');
    const all: Owner[] = [];
    let after: string | null = null;
    for (;;) {
      let answer;
      try {
        answer = await request(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [requestIdHeader]: requestIdOf(req),
            ...identity.headersFor(req, 'accounts'),
          },
          body: JSON.stringify({ query: ReportOwnersDocument.toString(), variables: { after } }),
          agent: agentFor('accounts'),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        throw unavailable('accounts', error);
      }
      const body = JSON.parse(answer.text) as {
        data?: ReportOwnersQuery;
        errors?: Array<{ message: string }>;
      };
      if (!answer.ok || !body.data)
        throw unavailable(
          'accounts',
          new Error(`HTTP ${answer.status}: ${answer.text.slice(0, 200)}`),
        );
      all.push(...body.data.users.nodes);
      const { hasNextPage, endCursor } = body.data.users.pageInfo;
      if (!hasNextPage || !endCursor) return all;
      after = endCursor;
    }
  }

  function forward(req: Request, res: Response, body: string): void {
    const graphql = urlOf('files');
    if (!graphql) return sendError(res, unavailable('files'));
    const target = new URL(req.originalUrl.slice(1), new URL('.', graphql));
    const send = target.protocol === 'https:' ? httpsRequest : http.request;
    const upstream = send(target, {
      method: 'POST',
      agent: agentFor('files'),
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        [requestIdHeader]: requestIdOf(req),
        ...identity.headersFor(req, 'files'),
      },
    });
    upstream.on('response', (answer) => relay(answer, res));
    upstream.on('error', (error) => {
      if (res.headersSent) return void res.destroy();
      logger.warn('usage report failed: files service not answering', {
        err: error,
        requestId: requestIdOf(req),
      });
      sendError(res, unavailable('files', error));
    });
    // A client that leaves stops the report at the files service too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end(body);
  }

  return (req, res) => {
    const { caller } = identity.of(req);
    if (!caller) return sendError(res, notSignedIn());
    if (caller.role !== 'ADMIN')
      return sendError(
        res,
        new AppError('FORBIDDEN', 'Only an admin may see the usage report and its figures.'),
      );
    owners(req).then(
      (found) => forward(req, res, JSON.stringify({ owners: found })),
      (error: unknown) => {
        logger.warn('usage report failed: no owners', { err: error, requestId: requestIdOf(req) });
        sendError(res, error instanceof AppError ? error : unavailable('accounts', error));
      },
    );
  };
}
