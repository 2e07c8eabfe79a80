import { createHash, randomFillSync } from 'node:crypto';
import type { Readable } from 'node:stream';

/** `size` random bytes, in memory, so that generating them costs nothing while timed. */
export function randomBuffer(size: number): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  // randomFillSync fills at most 2 GiB - 1 per call.
  for (let offset = 0; offset < size; offset += 2 ** 30)
    randomFillSync(buffer, offset, Math.min(2 ** 30, size - offset));
  return buffer;
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function md5(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

/** The buffer as 1 MiB views, the way a file is read from disk: nothing is copied. */
export async function* chunksOf(buffer: Buffer, chunkSize = 2 ** 20): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < buffer.length; offset += chunkSize)
    yield buffer.subarray(offset, offset + chunkSize);
}

/** Reads a stream to its end, counting and hashing the bytes. */
export async function consume(stream: Readable): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    hash.update(chunk);
  }
  return { bytes, sha256: hash.digest('hex') };
}
