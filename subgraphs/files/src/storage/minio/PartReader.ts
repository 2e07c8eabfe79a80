import type { Readable } from 'node:stream';

/**
 * Cuts a stream into parts of a fixed size for a multipart upload. Each part
 * is one buffer filled in place, so a part costs its size in memory once.
 */
export class PartReader {
  readonly #chunks: AsyncIterator<Buffer>;
  #leftover: Buffer | undefined;
  #ended = false;

  constructor(stream: Readable) {
    this.#chunks = stream[Symbol.asyncIterator]();
  }

  /** The next `size` bytes, fewer at the end, or undefined when nothing is left. */
  async next(size: number): Promise<Buffer | undefined> {
    const part = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      let chunk = this.#leftover;
      this.#leftover = undefined;
      if (!chunk) {
        if (this.#ended) break;
        const result = await this.#chunks.next();
        if (result.done) {
          this.#ended = true;
          break;
        }
        chunk = result.value;
      }
      const taken = Math.min(chunk.length, size - filled);
      chunk.copy(part, filled, 0, taken);
      filled += taken;
      if (taken < chunk.length) this.#leftover = chunk.subarray(taken);
    }
    return filled === 0 ? undefined : part.subarray(0, filled);
  }
}
