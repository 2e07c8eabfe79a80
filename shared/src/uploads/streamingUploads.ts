import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { AppError } from '../errors.ts';
import { errorBody, requestIdOf, sendError } from '../http.ts';
import type { Logger } from '../logger.ts';
import { ClientSlots } from './ClientSlots.ts';
import { MultipartReader, type MultipartLimits } from './MultipartReader.ts';
import { uploadErrors } from './uploadErrors.ts';

/** Largest JSON body, and largest `operations` or `map` field of a multipart request. */
const maxJsonBytes = 1_000_000;

export interface UploadOptions extends Omit<MultipartLimits, 'maxFieldSize'> {
  readonly logger: Logger;
  /** Uploads one client address may have under way at once; unset: no cap (behind the gateway). */
  readonly maxUploadsPerClient?: number;
}

/** Apollo Server's CSRF prevention asks for one of these on a multipart request. */
function preflighted(request: Request): boolean {
  return Boolean(request.get('apollo-require-preflight') || request.get('x-apollo-operation-name'));
}

/**
 * After an answer given while the client is still sending, how long its
 * bytes are still read and dropped before the connection is closed: a client
 * that reads its answer only once it has sent everything (or whose last
 * bytes are on the way) gets it; one that keeps sending is cut off then.
 */
const lingerMs = 5_000;

/** Reads and drops what the client still sends for a while, then closes its connection. */
function linger(request: Request): void {
  if (request.complete || request.destroyed) return;
  const timer = setTimeout(() => request.socket.destroy(), lingerMs);
  timer.unref();
  request.once('close', () => clearTimeout(timer)).once('end', () => clearTimeout(timer));
  request.resume();
}

/**
 * Express middleware for GraphQL multipart requests, in place of
 * graphql-upload's graphqlUploadExpress (see MultipartReader). Refusals that
 * need no body (no CSRF preflight header, too many uploads from one client)
 * are made before a byte of it is read. An answer decided before the body
 * has all arrived (a refusal, a dependency lost mid-upload) goes out at
 * once: nobody should send a GiB to learn that storage died after the first
 * MiB. The rest is read and dropped for a while (linger) so the client can
 * read it, then the connection is closed; a client gone quiet is cut at
 * once. When the request itself failed, that failure is the answer,
 * whatever the operation said.
 */
export function streamingUploads(options: UploadOptions): RequestHandler {
  const slots =
    options.maxUploadsPerClient === undefined
      ? undefined
      : new ClientSlots(options.maxUploadsPerClient);
  return (request: Request, response: Response, next: NextFunction) => {
    if (!request.is('multipart/form-data')) return next();
    let refusal: AppError | undefined;
    if (!preflighted(request)) refusal = uploadErrors.preflight();
    else if (slots) {
      const release = slots.take(request.socket.remoteAddress ?? '');
      if (release) response.once('close', release);
      else refusal = uploadErrors.tooManyAtOnce(options.maxUploadsPerClient ?? 0);
    }
    const reader = new MultipartReader(
      request,
      { ...options, maxFieldSize: maxJsonBytes },
      refusal,
    );
    const send = response.send.bind(response);
    let stalled = false;
    void reader.stalled.then(() => (stalled = true));
    response.send = ((body?: unknown) => {
      reader.drain();
      const failure = reader.failure;
      if (failure) {
        options.logger.warn('upload refused', {
          requestId: requestIdOf(request),
          code: failure.code,
          reason: failure.message,
        });
      }
      if (!request.complete) {
        // Not to be reused: what is left of this request is still on the way.
        if (stalled) response.set('Connection', 'close');
        else linger(request);
      }
      if (!failure) return send(body);
      response.status(failure.status).type('application/json');
      return send(JSON.stringify(errorBody(failure)));
    }) as Response['send'];
    reader.operations.then(
      (operations) => {
        request.body = operations;
        next();
      },
      (error: AppError) => next(error),
    );
  };
}

/**
 * A JSON body that stops arriving for UPLOAD_IDLE_TIMEOUT is answered 408
 * and its connection closed, as an upload would be: otherwise a client could
 * hold a connection for REQUEST_TIMEOUT (an hour) by sending half a body.
 * The socket's idle timer measures it; it is cleared once the body is in, so
 * a slow answer is never cut.
 */
function jsonIdleTimeout(options: UploadOptions): RequestHandler {
  return (request, response, next) => {
    if (request.is('multipart/form-data') || request.complete) return next();
    const socket = request.socket;
    const done = () => void request.setTimeout(0);
    // On the request, not the socket: with a listener there, Node's server leaves the socket to us.
    request.setTimeout(options.idleTimeoutMs, () => {
      done();
      if (!response.headersSent)
        sendError(
          response.set('Connection', 'close'),
          new AppError(
            'REQUEST_TIMEOUT',
            `The request body made no progress for ${options.idleTimeoutMs / 1000} s (UPLOAD_IDLE_TIMEOUT); send it whole.`,
          ),
        );
      response.once('finish', () => socket.destroy());
    });
    request.once('end', done);
    request.once('close', done);
    next();
  };
}

/** What reads a GraphQL request's body: a multipart upload or JSON. */
export function graphqlBody(options: UploadOptions): RequestHandler[] {
  return [
    streamingUploads(options),
    jsonIdleTimeout(options),
    express.json({ limit: maxJsonBytes }),
  ];
}
