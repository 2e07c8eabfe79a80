/** Below this, a part is gathered from the stream's own chunks: small files never take a pooled buffer. */
const smallPart = 256 * 1024;

/**
 * Cuts a stream into parts for a multipart upload. A part larger than a
 * small file is copied into a buffer taken from `pool`, so an upload reuses
 * the same few part buffers from start to end instead of allocating one per
 * part (garbage the collector would only free later).
 */
export class PartReader {
  readonly #chunks: AsyncIterator<Buffer>;
  readonly #pool: PartPool;
  #leftover: Buffer | undefined;
  #ended = false;

  constructor(stream: AsyncIterable<Buffer>, pool: PartPool) {
    this.#chunks = stream[Symbol.asyncIterator]();
    this.#pool = pool;
  }

  /** The next `size` bytes, fewer at the end, or undefined when nothing is left. */
  async next(size: number): Promise<Part | undefined> {
    const small: Buffer[] = [];
    let part: Buffer | undefined;
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
      if (taken < chunk.length) this.#leftover = chunk.subarray(taken);
      if (!part && filled + taken > smallPart) {
        part = await this.#pool.take();
        Buffer.concat(small, filled).copy(part);
        small.length = 0;
      }
      if (part) chunk.copy(part, filled, 0, taken);
      else small.push(chunk.subarray(0, taken));
      filled += taken;
    }
    if (filled === 0) return undefined;
    if (!part) return { data: Buffer.concat(small, filled), release: () => {} };
    const pooled = part;
    return { data: pooled.subarray(0, filled), release: () => this.#pool.give(pooled) };
  }
}

/** A part's bytes; `release` hands its buffer back once the part is sent. */
export interface Part {
  readonly data: Buffer;
  release(): void;
}

/** At most `count` buffers of `size` bytes, handed out and given back. */
export class PartPool {
  readonly #size: number;
  readonly #free: Buffer[] = [];
  readonly #waiting: Array<(buffer: Buffer) => void> = [];
  #allocated = 0;
  readonly #count: number;

  constructor(size: number, count: number) {
    this.#size = size;
    this.#count = count;
  }

  async take(): Promise<Buffer> {
    const free = this.#free.pop();
    if (free) return free;
    if (this.#allocated < this.#count) {
      this.#allocated += 1;
      return Buffer.allocUnsafe(this.#size);
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  give(buffer: Buffer): void {
    const waiter = this.#waiting.shift();
    if (waiter) waiter(buffer);
    else this.#free.push(buffer);
  }
}
