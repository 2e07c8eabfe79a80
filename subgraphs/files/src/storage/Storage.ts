import type { Readable } from 'node:stream';
import type { Meter } from '../files/Meter.ts';

/**
 * What the files subgraph needs from a place to keep bytes. Two drivers
 * implement it: DiskStorage (a folder, the embedded default) and MinioStorage
 * (any S3-compatible server through the `minio` client). Names are already
 * validated and normalised (see files/names.ts) when they reach a driver.
 *
 * Every driver keeps these promises, and one test suite holds both to them:
 * - a write is all or nothing: an interrupted or refused write leaves no
 *   partial file and the previous content intact;
 * - a name is either a file or a folder, never both ("a" and "a/b" can't coexist);
 * - listing is in byte order of the UTF-8 name, as S3 lists keys.
 */

export interface FileRecord {
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
  /** SHA-256 of the content, lowercase hex (an ETag only for objects written by other tools). */
  readonly checksum: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * create: the name must be free (else CONFLICT);
 * replace: the file must exist (else NOT_FOUND) and keeps its createdAt;
 * upsert: either.
 */
export type WriteMode = 'create' | 'replace' | 'upsert';

export interface WriteOptions {
  readonly mode: WriteMode;
  readonly contentType: string;
}

export type OrderField = 'name' | 'size' | 'updatedAt';

export interface Order {
  readonly field: OrderField;
  readonly descending: boolean;
}

/** Where a page ends: the last file's name and, for size/date order, its sort value. */
export interface Cursor {
  readonly name: string;
  /** Size in bytes or updatedAt in ms; undefined in name order. */
  readonly value: number | undefined;
}

export interface ListQuery {
  /** '' for everything, else a folder path ending in '/'. */
  readonly prefix: string;
  /** false: only files directly in the folder, not in its subfolders. */
  readonly recursive: boolean;
  /** Case-insensitive part of the name (already folded with searchFold). */
  readonly search: string | undefined;
  readonly order: Order;
  /** List what comes after this cursor in `order`. */
  readonly after: Cursor | undefined;
  readonly limit: number;
}

export interface Page {
  readonly files: readonly FileRecord[];
  readonly hasMore: boolean;
  /** How many files match in all, where the driver can tell cheaply. */
  readonly totalCount: number | undefined;
}

/** Inclusive byte range, already checked against the file's size. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Bytes of a file, with the record of the version they are. */
export interface Version {
  readonly record: FileRecord;
  readonly body: Readable;
}

/** A file about to be read: its record now, and its bytes on demand. */
export interface Opened {
  readonly record: FileRecord;
  /**
   * The bytes (of `range`, or all), with the record of the version they
   * belong to: `record`, or a newer one when the file was replaced since it
   * was opened. Call it, or close().
   */
  read(range?: ByteRange): Promise<Version>;
  close(): void;
}

/** A file stored (with its size) or removed (no size), as replicas tell each other. */
export interface NameChange {
  readonly name: string;
  readonly size?: number;
}

/** One version of a file, readable by anyone holding `url`. */
export interface Located {
  readonly record: FileRecord;
  /** A presigned GET of the object, valid for a minute. */
  readonly url: string;
  /** The object's ETag: a GET with If-Match on it refuses any other version. */
  readonly version: string;
}

export interface Storage {
  readonly kind: 'disk' | 'minio';
  /** Prepares the store (folders, catalogue, bucket); safe to call again. */
  open(): Promise<void>;
  close(): Promise<void>;
  /** Resolves when the store answers; rejects with why it does not. */
  check(signal: AbortSignal): Promise<void>;
  stat(name: string): Promise<FileRecord | undefined>;
  list(query: ListQuery): Promise<Page>;
  /** Folders directly inside `prefix` ('' or "a/"), as paths ending in '/', in name order. */
  folders(prefix: string): Promise<string[]>;
  /** Stores what `body` carries; its size and checksum are known once it ends. */
  write(name: string, body: Meter, options: WriteOptions): Promise<FileRecord>;
  /** The current version of a file, for reading; undefined when there is no such file. */
  openFile(name: string): Promise<Opened | undefined>;
  /** Stores that serve reads themselves (MinIO) say where; undefined when there is no such file. */
  locate?(name: string): Promise<Located | undefined>;
  /** Stores with an index of names (MinIO) take the changes other replicas made… */
  noteChanges?(changes: readonly NameChange[]): void;
  /** …and report their own to `listener`. */
  onChanges?(listener: (changes: readonly NameChange[]) => void): void;
  rename(from: string, to: string, overwrite: boolean): Promise<FileRecord>;
  /** Resolves true when a file was removed, false when there was none. */
  remove(name: string): Promise<boolean>;
}
