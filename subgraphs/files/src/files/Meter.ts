import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '@filegraph/shared/errors';
import { formatBytes } from '@filegraph/shared/config';

/**
 * A pass-through stream that counts and hashes what flows through it and
 * fails, before storing a byte too many, once a file outgrows its limit.
 * Drivers read the content from it and take size and checksum once it ends.
 */
export class Meter extends Transform {
  readonly #hash = createHash('sha256');
  readonly #limit: number;
  readonly #label: string;
  #size = 0;
  #checksum: string | undefined;
  #past: { readonly bytes: number; readonly reached: () => void } | undefined;

  constructor(limit: number, label: string) {
    super({ highWaterMark: 1 << 20 });
    this.#limit = limit;
    this.#label = label;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#size += chunk.length;
    if (this.#size > this.#limit) {
      done(
        new AppError(
          'PAYLOAD_TOO_LARGE',
          `${this.#label} is larger than ${formatBytes(this.#limit)}, the most one file may hold (MAX_FILE_SIZE).`,
        ),
      );
      return;
    }
    this.#hash.update(chunk);
    if (this.#past && this.#size > this.#past.bytes) {
      this.#past.reached();
      this.#past = undefined;
    }
    done(null, chunk);
  }

  /** Calls `reached` once more than `bytes` have come through (never, for a smaller file). */
  whenPast(bytes: number, reached: () => void): void {
    this.#past = { bytes, reached };
  }

  override _flush(done: TransformCallback): void {
    this.#checksum = this.#hash.digest('hex');
    done();
  }

  /** Bytes seen so far (the whole size once the stream has ended). */
  get size(): number {
    return this.#size;
  }

  /** SHA-256 of the whole content, hex; only once the stream has ended. */
  get checksum(): string {
    if (this.#checksum === undefined) throw new Error('checksum read before the content ended');
    return this.#checksum;
  }
}
