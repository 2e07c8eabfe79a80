import type { Readable } from 'node:stream';

/**
 * Where file bytes are kept: objects under keys, and nothing else. Which
 * key is which file is the catalogue's business (catalogue/); a key's bytes
 * never change once written, so a reader that got a key from the catalogue
 * reads one whole version, whatever happens to the file meanwhile. Two
 * drivers: DiskStore (a folder, the embedded default) and S3Store (MinIO or
 * any S3-compatible server, with plain object operations only).
 */

/** Inclusive byte range, already checked against the file's size. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** What a write stored: the byte count and SHA-256 of what `body` carried. */
export interface Stored {
  readonly size: number;
  readonly checksum: string;
}

/** An object, as a listing of the store gives it. */
export interface StoredObject {
  readonly key: string;
  readonly size: number;
  readonly modified: Date;
}

/** What a store knows of one object besides its bytes. */
export interface ObjectInfo extends StoredObject {
  readonly contentType: string | undefined;
  /** Metadata written with it by another tool (S3 x-amz-meta-*, lower-case names without the prefix). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** Bytes on the way in, counted and hashed as they pass (files/Meter.ts). */
export interface MeteredBody extends AsyncIterable<Buffer> {
  readonly size: number;
  readonly checksum: string;
}

export interface Storage {
  readonly kind: 'disk' | 'minio';
  /** Prepares the store (folders, bucket); safe to call again. */
  open(): Promise<void>;
  close(): Promise<void>;
  /** Resolves when the store answers; rejects with why it does not. */
  check(signal: AbortSignal): Promise<void>;
  /** Stores what `body` carries under a new `key`; resolves once it is durably stored. */
  put(key: string, body: MeteredBody, contentType: string): Promise<Stored>;
  /** The bytes under `key` (or a range of them); NOT_FOUND when there are none. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Stores that serve reads themselves (S3) give a URL anyone may GET the object at for a minute. */
  presign?(key: string): Promise<string>;
  /** Deletes objects; a key with none is no error. */
  remove(keys: readonly string[]): Promise<void>;
  /** Every object in the store, for the reconciler. */
  objects(): AsyncIterable<StoredObject>;
  /** What the store knows of one object; undefined when there is none. */
  describe(key: string): Promise<ObjectInfo | undefined>;
}
