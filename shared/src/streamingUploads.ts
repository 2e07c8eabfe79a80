import { PassThrough, type Readable } from 'node:stream';
import busboy from 'busboy';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import Upload from 'graphql-upload/Upload.mjs';

/**
 * GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec)
 * with files streamed straight through. graphql-upload's own processRequest
 * first writes every file to a temporary file and reads it back: disk I/O
 * for every byte, done twice on the way gateway → subgraph. Here a file's
 * stream is the request itself, with backpressure to the client. That works
 * because our consumers read files in request order (the gateway forwards
 * them in order, the files subgraph stores them one by one); whatever is left
 * unread when the response goes out is drained. The Upload class is
 * graphql-upload's, so its GraphQLUpload scalar takes these values as its own.
 */

export interface MultipartLimits {
  /** Largest file; a file that reaches it fails with 413 (busboy's `limit`). */
  readonly maxFileSize: number;
  readonly maxFiles: number;
  /** Largest `operations` or `map` field. */
  readonly maxFieldSize?: number;
}

const spec = 'https://github.com/jaydenseric/graphql-multipart-request-spec';

class HttpError extends Error {
  readonly status: number;
  readonly expose = true;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Sets `value` at a dotted path ("variables.files.0") that must already exist. */
function setAtPath(root: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop();
  let target = root;
  for (const key of keys) {
    if (typeof target !== 'object' || target === null || !(key in target))
      throw new Error(`no ${path}`);
    target = (target as Record<string, unknown>)[key];
  }
  if (last === undefined || typeof target !== 'object' || target === null || !(last in target))
    throw new Error(`no ${path}`);
  (target as Record<string, unknown>)[last] = value;
}

/** One multipart request being read. */
class MultipartRequest {
  readonly operations: Promise<unknown>;
  readonly #request: Request;
  readonly #parser: busboy.Busboy;
  readonly #uploads = new Map<string, InstanceType<typeof Upload>>();
  /** Each file's stream as handed to its reader. */
  readonly #streams = new Set<PassThrough>();
  #resolve!: (operations: unknown) => void;
  #reject!: (error: Error) => void;
  #operations: unknown;
  #failed: Error | undefined;
  #mapRead = false;
  #draining = false;

  constructor(request: Request, limits: MultipartLimits) {
    this.#request = request;
    this.operations = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.operations.catch(() => {});
    this.#parser = busboy({
      headers: request.headers,
      defParamCharset: 'utf8',
      limits: {
        fieldSize: limits.maxFieldSize ?? 1_000_000,
        fields: 2,
        fileSize: limits.maxFileSize,
        files: limits.maxFiles,
      },
    });
    this.#parser.on('field', (name, value, { valueTruncated }) => {
      if (valueTruncated)
        return this.#fail(
          new HttpError(413, `The ‘${name}’ multipart field is larger than allowed.`),
        );
      if (name === 'operations') this.#readOperations(value);
      else if (name === 'map') this.#readMap(value, limits.maxFiles);
    });
    this.#parser.on('file', (name, stream, info) => this.#file(name, stream, info));
    this.#parser.once('filesLimit', () =>
      this.#fail(new HttpError(413, `${limits.maxFiles} max file uploads exceeded.`)),
    );
    this.#parser.once('finish', () => {
      if (this.#operations === undefined)
        return this.#fail(new HttpError(400, `Missing multipart field ‘operations’ (${spec}).`));
      if (this.#uploads.size === 0 && !this.#mapRead)
        return this.#fail(new HttpError(400, `Missing multipart field ‘map’ (${spec}).`));
      for (const upload of this.#uploads.values()) {
        if (!upload.file) upload.reject(new HttpError(400, 'File missing in the request.'));
      }
    });
    this.#parser.on('error', (error: Error) => this.#fail(error));
    request.once('close', () => {
      if (!request.readableEnded)
        this.#fail(new HttpError(499, 'Request disconnected during file upload stream parsing.'));
    });
    request.pipe(this.#parser);
  }

  #readOperations(value: string): void {
    try {
      this.#operations = JSON.parse(value);
    } catch {
      return this.#fail(
        new HttpError(400, `Invalid JSON in the ‘operations’ multipart field (${spec}).`),
      );
    }
    if (typeof this.#operations !== 'object' || this.#operations === null) {
      this.#fail(
        new HttpError(400, `Invalid type for the ‘operations’ multipart field (${spec}).`),
      );
    }
  }

  #readMap(value: string, maxFiles: number): void {
    if (this.#operations === undefined) {
      return this.#fail(
        new HttpError(
          400,
          `Misordered multipart fields; ‘map’ should follow ‘operations’ (${spec}).`,
        ),
      );
    }
    let map: unknown;
    try {
      map = JSON.parse(value);
    } catch {
      return this.#fail(new HttpError(400, `Invalid JSON in the ‘map’ multipart field (${spec}).`));
    }
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      return this.#fail(
        new HttpError(400, `Invalid type for the ‘map’ multipart field (${spec}).`),
      );
    }
    const entries = Object.entries(map);
    if (entries.length > maxFiles)
      return this.#fail(new HttpError(413, `${maxFiles} max file uploads exceeded.`));
    for (const [field, paths] of entries) {
      if (!Array.isArray(paths)) {
        return this.#fail(
          new HttpError(
            400,
            `Invalid type for the ‘map’ multipart field entry key ‘${field}’ array (${spec}).`,
          ),
        );
      }
      const upload = new Upload();
      this.#uploads.set(field, upload);
      for (const path of paths) {
        try {
          if (typeof path !== 'string') throw new Error('not a path');
          setAtPath(this.#operations, path, upload);
        } catch {
          return this.#fail(
            new HttpError(
              400,
              `Invalid object path for the ‘map’ multipart field entry key ‘${field}’ (${spec}).`,
            ),
          );
        }
      }
    }
    this.#mapRead = true;
    this.#resolve(this.#operations);
  }

  #file(field: string, stream: Readable, info: busboy.FileInfo): void {
    const upload = this.#uploads.get(field);
    if (!this.#mapRead) {
      stream.resume();
      return this.#fail(
        new HttpError(400, `Misordered multipart fields; files should follow ‘map’ (${spec}).`),
      );
    }
    // A file the map does not name, or any file once the answer is out, is read and dropped.
    if (!upload || this.#draining) {
      stream.resume();
      return;
    }
    const content = new PassThrough({ highWaterMark: 1 << 16 });
    this.#streams.add(content);
    content.once('close', () => {
      this.#streams.delete(content);
      // Its reader gave up early (a failed write, a dead subgraph): the rest of
      // the part must still be read, or the request never ends and no answer goes out.
      if (!stream.readableEnded) {
        stream.unpipe(content);
        stream.resume();
      }
    });
    stream.pipe(content);
    stream.once('limit', () => {
      stream.unpipe(content);
      // The rest of the part still has to be read for the request to end.
      stream.resume();
      content.destroy(new HttpError(413, 'File truncated as it exceeds the size limit.'));
    });
    stream.once('error', (error: Error) => content.destroy(error));
    let taken = false;
    upload.resolve({
      filename: info.filename,
      mimetype: info.mimeType,
      encoding: info.encoding,
      createReadStream: () => {
        if (taken) throw new Error('A streamed upload can be read once.');
        taken = true;
        return content;
      },
    } as never);
  }

  #fail(error: Error): void {
    if (this.#failed) return;
    this.#failed = error;
    this.#reject(error);
    for (const upload of this.#uploads.values()) if (!upload.file) upload.reject(error);
    for (const stream of this.#streams) stream.destroy(error);
    this.#request.unpipe(this.#parser);
    this.#parser.destroy();
    // Whatever the client still sends is read and dropped, so it can read our answer.
    setImmediate(() => this.#request.resume());
  }

  /** The answer is going out: read and drop what no reader took. */
  drain(): void {
    this.#draining = true;
    for (const stream of this.#streams) stream.resume();
  }
}

function finished(request: Request): Promise<void> {
  return request.closed
    ? Promise.resolve()
    : new Promise((resolve) => request.once('close', () => resolve()));
}

/**
 * Express middleware for multipart GraphQL requests, in place of
 * graphql-upload's graphqlUploadExpress. The answer waits until the request
 * has been read to its end (files nobody read are drained first), so a client
 * still sending never has its connection cut under it.
 */
export function streamingUploads(limits: MultipartLimits): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (!request.is('multipart/form-data')) return next();
    const multipart = new MultipartRequest(request, limits);
    const send = response.send.bind(response);
    response.send = ((body?: unknown) => {
      multipart.drain();
      void finished(request).then(() => send(body));
      return response;
    }) as Response['send'];
    multipart.operations.then(
      (operations) => {
        request.body = operations;
        next();
      },
      (error: HttpError) => {
        if (error.status && error.expose) response.status(error.status);
        next(error);
      },
    );
  };
}
