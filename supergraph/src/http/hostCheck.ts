import type { RequestHandler } from 'express';
import { AppError } from '@filegraph/shared/errors';
import { sendError } from '@filegraph/shared/http';
import { allowedHost } from './allowedHost.ts';

/**
 * Refuses, with 421 Misdirected Request (RFC 9110 §15.5.20), a request whose
 * Host is neither a localhost name nor one of PUBLIC_ORIGINS. This is the
 * defence against DNS rebinding: a page on evil.example that points its name
 * at 127.0.0.1 reaches a gateway on localhost as the same origin, and only
 * the Host header still says evil.example.
 *
 * Mount it after /health, /ready and /metrics: orchestrators, Consul and
 * Prometheus call those by IP address or container name, and they give
 * nothing a rebinding page could use.
 */
export function hostCheck(origins: readonly string[]): RequestHandler {
  const allowed = allowedHost(origins);
  return (req, res, next) => {
    const host = req.headers.host;
    if (allowed(host)) return next();
    sendError(
      res,
      new AppError(
        'BAD_USER_INPUT',
        `This gateway does not answer for the host ${JSON.stringify(host ?? '')}. ` +
          'If people reach it by that name, add its origin (such as https://files.example.com) to PUBLIC_ORIGINS.',
      ),
      421,
    );
  };
}
