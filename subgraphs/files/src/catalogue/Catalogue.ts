/**
 * The record of every file: its stable id, name, size, checksum, times,
 * trash state and where its bytes are. The byte store (storage/) holds bytes
 * only, under keys that never change meaning: a new version of a file is
 * new bytes under a new key, so a rename, a move or a replace is a change
 * of records alone, and a reader holding a key reads one whole version.
 *
 * Two drivers keep the same promises, and one API suite holds both to them:
 * PostgreSQL for the distributed stack, SQLite for the embedded default.
 * - Names compare byte by byte (UTF-8), as S3 lists keys.
 * - A name is a file or a folder, never both: "a" and "a/b" can't both be
 *   files. Folders exist while files are in them.
 * - A live name is one file's; files in the trash hold no name.
 * - Writes are all or nothing, and two writers racing on one name never
 *   both win: the later one gets CONFLICT.
 */

export interface FileRecord {
  readonly id: string;
  /** Full name, "/" between folders. */
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
  /** SHA-256 of the content, lowercase hex. */
  readonly checksum: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** When it went to the trash; undefined for a live file. */
  readonly deletedAt: Date | undefined;
  /** Where its bytes are in the byte store. */
  readonly key: string;
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
  /** Part of the name, folded with searchFold (case and accents ignored). */
  readonly search: string | undefined;
  readonly order: Order;
  readonly after: Cursor | undefined;
  readonly limit: number;
}

/** Where a page of the trash ends: newest deleted first. */
export interface TrashCursor {
  readonly deletedAt: number;
  readonly id: string;
}

export interface TrashQuery {
  readonly after: TrashCursor | undefined;
  readonly limit: number;
}

export interface Page {
  readonly files: readonly FileRecord[];
  readonly hasMore: boolean;
  /** How many match in all. */
  readonly totalCount: number;
}

/** Bytes stored under `key`, ready to become a version of a file. */
export interface Written {
  readonly key: string;
  readonly size: number;
  readonly checksum: string;
  readonly contentType: string;
}

/**
 * Which file a write is for: a new one (the name must be free), a new
 * version of the live file of that name or a new file (upsert), or a new
 * version of one file.
 */
export type WriteTarget =
  | { readonly mode: 'create'; readonly name: string }
  | { readonly mode: 'upsert'; readonly name: string }
  | { readonly mode: 'replace'; readonly id: string };

/** Bytes written for a target, to be committed together with others. */
export interface PendingWrite {
  readonly target: WriteTarget;
  readonly written: Written;
}

/** A file whose bytes are already in the store, to be recorded as it is (an upgrade, a repair). */
export interface Adopted {
  readonly name: string;
  readonly key: string;
  readonly size: number;
  readonly checksum: string;
  readonly contentType: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What a key in the store is kept for. */
export interface KeyUse {
  readonly key: string;
  readonly use: 'file' | 'write' | 'garbage';
  /** For a file: which. */
  readonly file?: { readonly id: string; readonly name: string };
}

export interface Catalogue {
  readonly kind: 'sqlite' | 'postgres';
  /** Connects and brings the schema up to date; safe when replicas start together. */
  open(): Promise<void>;
  close(): Promise<void>;
  check(signal: AbortSignal): Promise<void>;

  /** A live file. */
  get(id: string): Promise<FileRecord | undefined>;
  /** The live file of this name. */
  find(name: string): Promise<FileRecord | undefined>;
  list(query: ListQuery): Promise<Page>;
  /** Folders directly inside `prefix` ('' or "a/"), as paths ending in '/', in name order. */
  folders(prefix: string): Promise<string[]>;
  trash(query: TrashQuery): Promise<Page>;

  /** Bytes are about to be written under these keys: those no version ever uses are swept. */
  intend(keys: readonly string[]): Promise<void>;
  /**
   * Makes written bytes versions of files, all or none, as if committed one
   * after the other in this order (a later one sees the earlier ones); the
   * versions they replace become garbage. The records come back in order.
   * One name twice is refused (CONFLICT).
   */
  commit(writes: readonly PendingWrite[]): Promise<FileRecord[]>;
  /** The writes under these keys failed: their bytes are garbage. */
  abandon(keys: readonly string[]): Promise<void>;
  /** Gives a live file another name; with `overwrite`, a live file of that name goes to the trash. */
  rename(id: string, name: string, overwrite: boolean): Promise<FileRecord>;
  /** Moves every live file in folder `from` ("a/") to folder `to` ("b/"), which must not exist yet. */
  moveFolder(from: string, to: string): Promise<number>;
  /**
   * Forgets files at once, not through the trash (a failed upload's new
   * files, files whose bytes are lost); their bytes are garbage.
   */
  discard(ids: readonly string[]): Promise<void>;
  /** Moves live files to the trash; returns the ids it moved. */
  trashFiles(ids: readonly string[]): Promise<string[]>;
  /** Brings files back from the trash, all or none: CONFLICT when a name is taken again. */
  restore(ids: readonly string[]): Promise<FileRecord[]>;
  /** Purges every file in the trash; returns how many. */
  emptyTrash(): Promise<number>;

  /** Purges files that went to the trash before `before`; returns how many. */
  purgeTrash(before: Date): Promise<number>;
  /** Writes begun before `before` and never committed: their bytes become garbage. */
  expireWrites(before: Date): Promise<number>;
  /** Records a file whose bytes are in the store already; CONFLICT when its name is taken. */
  adopt(file: Adopted): Promise<FileRecord>;
  /** Every key the catalogue knows of, and why, for the reconciler. */
  keyUses(): AsyncIterable<KeyUse>;
  /**
   * Runs `work` once for this catalogue, ever: not again once it has
   * finished, and not twice at once by replicas starting together.
   */
  once(task: string, work: () => Promise<void>): Promise<void>;

  /**
   * Hands up to `limit` keys whose bytes may be deleted now to `remove`, and
   * forgets them once it has; replicas sweeping at once get different keys.
   */
  sweep(limit: number, remove: (keys: readonly string[]) => Promise<void>): Promise<number>;
}
