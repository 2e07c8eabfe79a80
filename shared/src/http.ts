import { randomUUID } from 'node:crypto';
import type { GraphQLFormattedError } from 'graphql';
import express, {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { AppError, type ErrorCode } from './errors.ts';
import type { Logger } from './logger.ts';

/** http://address:port (https:// when `secure`), with an IPv6 address in brackets. */
export function httpOrigin(address: string, port: number, secure = false): string {
  return `${secure ? 'https' : 'http'}://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/** The header that carries one request's id from the gateway to every subgraph. */
export const requestIdHeader = 'x-request-id';

const requestIds = new WeakMap<Request, string>();

/** The request's id: the caller's (when it looks sane) or a new one. */
export function requestIdOf(req: Request): string {
  let id = requestIds.get(req);
  if (id === undefined) {
    const given = req.get(requestIdHeader);
    id = given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    requestIds.set(req, id);
  }
  return id;
}

/** Probes come every second or so from every checker (HAProxy, Consul, Prometheus): not logged. */
const probes = new Set(['/health', '/ready', '/metrics']);
/** A share link's token is its password: logged without it. */
const secretTail = /^(\/share\/)[^/]+/;

/**
 * One line per request once it is over, carrying its id, so that one id
 * finds a request's lines in every service it went through (issue 17).
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    // Read now: routers mounted on a path strip it from req.path.
    const path = req.path;
    if (probes.has(path)) return next();
    const started = performance.now();
    // 'close' comes for every request, answered or left by its client.
    res.once('close', () => {
      const body: unknown = req.body;
      const operation =
        typeof body === 'object' && body !== null && 'operationName' in body
          ? body.operationName
          : undefined;
      logger.info('request', {
        requestId: requestIdOf(req),
        method: req.method,
        path: path.replace(secretTail, '$1…'),
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(typeof operation === 'string' ? { operation } : {}),
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    });
    next();
  };
}

/** An Express app with what every service wants before its own routes. */
export function createApp(): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    res.set(requestIdHeader, requestIdOf(req));
    next();
  });
  return app;
}

/** An error in the GraphQL response shape, so every client parses one format. */
export function errorBody(error: AppError): { errors: GraphQLFormattedError[] } {
  return { errors: [{ message: error.message, extensions: { code: error.code } }] };
}

/** Sends an error in the GraphQL response shape. */
export function sendError(res: Response, error: AppError, status = error.status): void {
  if (res.headersSent) {
    res.destroy(error);
    return;
  }
  res.status(status).set('Cache-Control', 'no-store').json(errorBody(error));
}

/** express.json's refusals (http-errors with `expose`), by status. */
const codeForStatus: Record<number, ErrorCode> = {
  400: 'BAD_USER_INPUT',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'BAD_USER_INPUT',
};

/**
 * Last error handler: our own errors as they are; express.json's refusals
 * (bad JSON, too large, cut off) keep their message with our code; anything
 * else is logged and answered with a generic 500.
 */
export function errorHandler(logger: Logger) {
  const handler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    if (error instanceof AppError) return sendError(res, error);
    const { status, expose, message, type } = error as {
      status?: number;
      expose?: boolean;
      message?: string;
      type?: string;
    };
    if (type === 'request.aborted') return void res.destroy();
    const code = status === undefined ? undefined : codeForStatus[status];
    if (code && expose && message) return sendError(res, new AppError(code, message));
    logger.error('request failed', { err: error, requestId: requestIdOf(req), path: req.path });
    if (res.headersSent) return res.destroy();
    res.status(500).json({
      errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
  };
  return handler;
}
