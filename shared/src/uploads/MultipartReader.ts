import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import Upload from 'graphql-upload/Upload.mjs';
import { AppError } from '../errors.ts';
import { abandoned } from '../multipart.ts';
import { FilePart } from './FilePart.ts';
import { noFileKept, quotedName, uploadErrors } from './uploadErrors.ts';

export interface MultipartLimits {
  /** Largest file in bytes; one byte more fails with 413. */
  readonly maxFileSize: number;
  readonly maxFiles: number;
  /** Largest `operations` or `map` field. */
  readonly maxFieldSize: number;
  /** No byte from the client for this long fails the request with 408. */
  readonly idleTimeoutMs: number;
}

type UploadInstance = InstanceType<typeof Upload>;

/** Sets `value` at a dotted path ("variables.files.0") whose every step is an own property. */
function setAtPath(root: unknown, path: string, value: unknown): boolean {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let target = root;
  for (const key of keys) {
    if (typeof target !== 'object' || target === null || !Object.hasOwn(target, key)) return false;
    target = (target as Record<string, unknown>)[key];
  }
  if (typeof target !== 'object' || target === null || !Object.hasOwn(target, last)) return false;
  (target as Record<string, unknown>)[last] = value;
  return true;
}

/** busboy's own errors, for a body it could not read, in our words. */
function explain(error: Error, during: string, clientLeft: boolean): AppError {
  if (error instanceof AppError) return error;
  if (clientLeft) return uploadErrors.cutOff(during);
  if (error.message === 'Unexpected end of form' || error.message === 'Unexpected end of file')
    return uploadErrors.endedEarly(during);
  if (error.message === 'Malformed part header') return uploadErrors.malformedPart(during);
  return uploadErrors.unreadable(error.message.toLowerCase());
}

/**
 * One GraphQL multipart request being read
 * (https://github.com/jaydenseric/graphql-multipart-request-spec), its
 * files streamed straight through rather than spooled to disk as
 * graphql-upload's processRequest does. Whatever arrives, in whatever order,
 * cut wherever, ends in `failure` (an AppError with its final code) or in a
 * well-formed request; nothing in here can throw past it. The Upload class is
 * graphql-upload's, so its GraphQLUpload scalar takes these values as its own.
 */
export class MultipartReader {
  /** The operations with an Upload at each mapped path, once `map` has been read. */
  readonly operations: Promise<unknown>;
  /** Resolves once the client has sent nothing for the idle timeout. */
  readonly stalled: Promise<void>;
  readonly #request: IncomingMessage;
  readonly #limits: MultipartLimits;
  readonly #parser: busboy.Busboy | undefined;
  readonly #uploads = new Map<string, UploadInstance>();
  readonly #parts: FilePart[] = [];
  readonly #fields = new Set<string>();
  #resolve!: (operations: unknown) => void;
  #reject!: (error: Error) => void;
  #stall!: () => void;
  #operations: unknown;
  #failure: AppError | undefined;
  #draining = false;
  #failedBeforeAnswer = false;
  /** When the request last moved forward: a field, a file, file bytes (or, once failed, any byte). */
  #lastProgress = performance.now();
  #timer: NodeJS.Timeout | undefined;

  constructor(request: IncomingMessage, limits: MultipartLimits, refusal?: AppError) {
    this.#request = request;
    this.#limits = limits;
    this.operations = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.operations.catch(() => {});
    this.stalled = new Promise((resolve) => (this.#stall = resolve));
    request.on('data', () => {
      if (this.#failure) this.#progress();
    });
    request.on('error', (error: Error) => this.#fail(explain(error, this.#during, true)));
    request.once('close', () => {
      clearTimeout(this.#timer);
      if (!request.complete) this.#fail(uploadErrors.cutOff(this.#during));
    });
    request.once('end', () => clearTimeout(this.#timer));
    this.#watch(limits.idleTimeoutMs);
    this.#parser = refusal ? undefined : this.#startParser();
    if (refusal) this.#fail(refusal);
    else if (this.#parser) request.pipe(this.#parser);
  }

  /** What went wrong with the request before its answer was decided; that is then the answer. */
  get failure(): AppError | undefined {
    return this.#failedBeforeAnswer ? this.#failure : undefined;
  }

  #startParser(): busboy.Busboy | undefined {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: this.#request.headers,
        defParamCharset: 'utf8',
        limits: {
          fieldSize: this.#limits.maxFieldSize,
          // One more than allowed, so that a file of exactly the limit passes.
          fileSize: this.#limits.maxFileSize + 1,
          files: this.#limits.maxFiles,
        },
      });
    } catch {
      // busboy refuses a Content-Type it can't split into parts before reading a byte.
      this.#fail(uploadErrors.unreadable('its Content-Type has no usable boundary parameter'));
      return undefined;
    }
    parser.on('field', (name, value, { valueTruncated }) =>
      this.#field(name, value, valueTruncated),
    );
    parser.on('file', (field, stream, info) =>
      this.#file(field, stream, info.filename ?? '', info.mimeType, info.encoding),
    );
    parser.once('filesLimit', () => this.#fail(uploadErrors.tooManyFiles(this.#limits.maxFiles)));
    parser.on('error', (error: Error) =>
      this.#fail(explain(error, this.#during, !this.#request.complete && this.#request.destroyed)),
    );
    parser.once('finish', () => this.#finish());
    return parser;
  }

  /** " while ‘a.jpg’ was arriving", for the file being read, if any. */
  get #during(): string {
    const part = this.#parts.at(-1);
    return part ? ` while ${quotedName(part.filename)} was arriving` : '';
  }

  readonly #progress = (): void => {
    this.#lastProgress = performance.now();
  };

  #field(name: string, value: string, truncated: boolean): void {
    this.#progress();
    if (this.#fields.has(name)) return this.#fail(uploadErrors.fieldTwice(name));
    this.#fields.add(name);
    if (truncated) return this.#fail(uploadErrors.fieldTooLarge(name, this.#limits.maxFieldSize));
    if (name === 'operations') return this.#readOperations(value);
    if (name === 'map') return this.#readMap(value);
    // The gateway's sender lost its own client part-way (shared/src/multipart.ts).
    if (name === abandoned) return this.#fail(uploadErrors.cutOff(this.#during));
    this.#fail(uploadErrors.unexpectedField(name));
  }

  #readOperations(value: string): void {
    if (this.#fields.has('map')) return this.#fail(uploadErrors.misorderedFields());
    try {
      this.#operations = JSON.parse(value);
    } catch {
      return this.#fail(uploadErrors.invalidJson('operations'));
    }
    if (typeof this.#operations !== 'object' || this.#operations === null)
      this.#fail(uploadErrors.invalidType('operations'));
  }

  #readMap(value: string): void {
    if (this.#operations === undefined) return this.#fail(uploadErrors.misorderedFields());
    let map: unknown;
    try {
      map = JSON.parse(value);
    } catch {
      return this.#fail(uploadErrors.invalidJson('map'));
    }
    if (typeof map !== 'object' || map === null || Array.isArray(map))
      return this.#fail(uploadErrors.invalidType('map'));
    const entries = Object.entries(map);
    if (entries.length > this.#limits.maxFiles)
      return this.#fail(uploadErrors.tooManyFiles(this.#limits.maxFiles));
    const places = new Set<string>();
    for (const [field, paths] of entries) {
      if (!Array.isArray(paths) || paths.length === 0 || paths.some((p) => typeof p !== 'string'))
        return this.#fail(uploadErrors.invalidEntry(field));
      // A streamed file can be read once, so it can fill one variable only.
      if (paths.length > 1) return this.#fail(uploadErrors.manyPlaces(field, paths.length));
      const path = paths[0] as string;
      if (places.has(path)) return this.#fail(uploadErrors.samePlace(path));
      places.add(path);
      const upload = new Upload();
      if (!setAtPath(this.#operations, path, upload))
        return this.#fail(uploadErrors.invalidPath(field, path));
      this.#uploads.set(field, upload);
    }
    this.#resolve(this.#operations);
  }

  #file(
    field: string,
    stream: Readable,
    filename: string,
    mimetype: string,
    encoding: string,
  ): void {
    stream.on('error', () => {});
    this.#progress();
    stream.on('data', this.#progress);
    // Every part before the last was passed when the one after it began.
    this.#parts.at(-1)?.passed();
    const upload = this.#uploads.get(field);
    if (this.#failure) return void stream.resume();
    if (!this.#fields.has('map')) {
      stream.resume();
      return this.#fail(uploadErrors.fileBeforeMap());
    }
    if (this.#parts.some((part) => part.field === field)) {
      stream.resume();
      return this.#fail(uploadErrors.fileTwice(field));
    }
    // A file the map does not name, or any file once the answer is out, is read and dropped.
    if (!upload || this.#draining) return void stream.resume();
    const part = new FilePart(field, filename, stream);
    this.#parts.push(part);
    stream.once('limit', () =>
      this.#fail(uploadErrors.fileTooLarge(filename, this.#limits.maxFileSize)),
    );
    upload.resolve({
      filename,
      mimetype,
      encoding,
      createReadStream: () => {
        if (part.taken) throw new Error('A streamed upload can be read once.');
        part.taken = true;
        return part.content;
      },
    } as never);
  }

  #finish(): void {
    if (this.#failure) return;
    if (this.#operations === undefined) return this.#fail(uploadErrors.missingField('operations'));
    if (!this.#fields.has('map')) return this.#fail(uploadErrors.missingField('map'));
    const missing = [...this.#uploads].find(([, upload]) => !upload.file);
    // Once the answer is out, files that came after it were dropped, not missing.
    if (missing && !this.#draining) return this.#fail(uploadErrors.fileMissing(missing[0]));
    for (const part of this.#parts) part.passed();
  }

  #fail(error: AppError): void {
    if (this.#failure) return;
    this.#failure = this.#uploads.size > 1 ? noFileKept(error) : error;
    this.#failedBeforeAnswer = !this.#draining;
    this.#reject(this.#failure);
    for (const upload of this.#uploads.values()) if (!upload.file) upload.reject(this.#failure);
    for (const part of this.#parts) part.fail(this.#failure);
    if (this.#parser) {
      this.#request.unpipe(this.#parser);
      this.#parser.destroy();
    }
    // Whatever the client still sends is read and dropped, so it can read our answer.
    this.#request.resume();
  }

  /**
   * Wakes up once per idle timeout. Progress is what the parser makes of
   * the bytes, not the bytes: a client trickling a part's headers in moves
   * nothing on, and behind the gateway the files subgraph, which only sees
   * what the gateway forwards, would time out first. No progress because the
   * client sends too little: 408. Because we stopped reading (backpressure):
   * fine while the file holding us up is being read; a file nobody has asked
   * for means the operation waits for a later one, which can never arrive.
   */
  #watch(ms: number): void {
    this.#timer = setTimeout(() => {
      if (this.#request.complete || this.#request.destroyed) return;
      const quiet = performance.now() - this.#lastProgress;
      if (quiet < this.#limits.idleTimeoutMs)
        return this.#watch(this.#limits.idleTimeoutMs - quiet);
      const holding = this.#parts.at(-1);
      if (this.#request.isPaused() && !this.#failure) {
        if (holding && !holding.taken) this.#fail(uploadErrors.misordered(holding.field));
        return this.#watch(this.#limits.idleTimeoutMs);
      }
      this.#fail(uploadErrors.idle(this.#limits.idleTimeoutMs, this.#during));
      this.#stall();
    }, ms);
  }

  /** The answer is going out: what nobody read is dropped, what is still being read is cut. */
  drain(): void {
    this.#draining = true;
    for (const part of this.#parts) {
      if (!part.taken) part.drop();
      else if (!part.content.readableEnded)
        part.fail(new Error('answered before this file was read'));
    }
  }
}
