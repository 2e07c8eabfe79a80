import type { RequestHandler } from 'express';
import { AppError } from '@filegraph/shared/errors';
import type { Logger } from '@filegraph/shared/logger';
import type { Metrics } from '@filegraph/shared/metrics';
import { LinkWaiting, type ShareService } from '../shares/ShareService.ts';
import type { Storage } from '../storage/Storage.ts';
import { downloadHandler } from './download.ts';

/** Where the gateway (supergraph/src/http/shareLinks.ts) puts a link's password. */
export const sharePasswordHeader = 'x-share-password';

/**
 * GET|HEAD /share/:token — the one file a share link opens, answered as a
 * download is (ranges, revalidation, hand-off). The gateway sends it as
 * nobody: the token is the only right the request carries. A link that
 * must wait after wrong passwords answers 429 with Retry-After.
 */
export function shareHandler(
  shares: ShareService,
  storage: Storage,
  logger: Logger,
  metrics: Metrics,
): RequestHandler {
  return downloadHandler(
    async (req) => {
      try {
        return await shares.open(String(req.params.token), req.get(sharePasswordHeader));
      } catch (error) {
        // RFC 9110 §10.2.3: how long to wait, for clients that retry by themselves.
        if (error instanceof LinkWaiting) req.res?.set('Retry-After', String(error.retryAfter));
        throw error;
      }
    },
    () => new AppError('NOT_FOUND', 'This link does not exist, was revoked or has expired.'),
    storage,
    logger,
    metrics,
  );
}
