import { PassThrough, type Readable } from 'node:stream';

const ignore = () => {};

/**
 * One file of a multipart request as its reader gets it: the part's bytes,
 * streamed straight from the request with backpressure to the client.
 *
 * The content ends only once the request has gone past the file: a later
 * part began, or the whole body arrived with its closing boundary. A file
 * whose request is cut off right after its last byte, or whose
 * Content-Length promised more, therefore never ends well and is never
 * stored. Every stream here has an error listener: a failure reaches the
 * reader through its own pipeline, and can never take the process down.
 */
export class FilePart {
  readonly field: string;
  readonly filename: string;
  readonly content = new PassThrough({ highWaterMark: 1 << 16 });
  /** Whether the operation asked for the content (createReadStream). */
  taken = false;
  readonly #source: Readable;
  #sourceEnded = false;
  #passed = false;

  constructor(field: string, filename: string, source: Readable) {
    this.field = field;
    this.filename = filename;
    this.#source = source;
    this.content.on('error', ignore);
    source.pipe(this.content, { end: false });
    source.once('end', () => {
      this.#sourceEnded = true;
      this.#end();
    });
    this.content.once('close', () => {
      // Its reader gave up early (a failed write, a dead subgraph): the rest
      // of the part must still be read, or the request never ends.
      if (!this.#sourceEnded) this.drop();
    });
  }

  /** The request went past this file: its content may end. */
  passed(): void {
    if (this.#passed) return;
    this.#passed = true;
    this.#end();
  }

  /** Nobody will read the rest: it is read and dropped so the request can go on. */
  drop(): void {
    this.#source.unpipe(this.content);
    this.#source.resume();
    if (!this.taken) this.content.resume();
  }

  fail(error: Error): void {
    this.drop();
    this.content.destroy(error);
  }

  #end(): void {
    if (this.#sourceEnded && this.#passed && !this.content.destroyed) this.content.end();
  }
}
