import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import type { AppError } from '../errors.ts';
import { errorBody, requestIdOf } from '../http.ts';
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

/** Resolves once the request has been read to its end, or the client went quiet. */
function settled(request: Request, reader: MultipartReader): Promise<void> {
  if (request.complete || request.destroyed) return Promise.resolve();
  return Promise.race([
    new Promise<void>((resolve) => request.once('close', resolve).once('end', resolve)),
    reader.stalled,
  ]);
}

/**
 * Express middleware for GraphQL multipart requests, in place of
 * graphql-upload's graphqlUploadExpress (see MultipartReader). Refusals that
 * need no body (no CSRF preflight header, too many uploads from one client)
 * are made before a byte of it is read. The answer waits until the request
 * has been read to its end (files nobody read are drained first), so a client
 * still sending never has its connection cut under it; a client gone quiet
 * gets its answer at once, and the connection is closed. When the request
 * itself failed, that failure is the answer, whatever the operation said.
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
    response.send = ((body?: unknown) => {
      reader.drain();
      void settled(request, reader).then(() => {
        const failure = reader.failure;
        if (failure) {
          options.logger.warn('upload refused', {
            requestId: requestIdOf(request),
            code: failure.code,
            reason: failure.message,
          });
        }
        if (!request.complete) response.set('Connection', 'close');
        if (!failure) return send(body);
        response.status(failure.status).type('application/json');
        send(JSON.stringify(errorBody(failure)));
      });
      return response;
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

/** What reads a GraphQL request's body: a multipart upload or JSON. */
export function graphqlBody(options: UploadOptions): RequestHandler[] {
  return [streamingUploads(options), express.json({ limit: maxJsonBytes })];
}
