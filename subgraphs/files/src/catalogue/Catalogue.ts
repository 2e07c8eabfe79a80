import type { Attempt, ThrottlePolicy } from '@filegraph/shared/throttle';
import type { AppError } from '@filegraph/shared/errors';

/**
 * The record of every file: its stable id, name, size, checksum, times,
 * trash state and where its bytes are. The byte store (storage/) holds bytes
 * only, under keys that never change meaning: a new version of a file is
 * new bytes under a new key, so a rename, a move or a replace is a change
 * of records alone, and a reader holding a key reads one whole version.
 *
 * Two drivers keep the same promises, and one API suite holds both to them:
 * PostgreSQL for the distributed stack, SQLite for the embedded default.
 * - Every file has an owner (a user id). Names, folders, listings, counts
 *   and the trash are each owner's own: two owners may both have notes.txt.
 *   Operations by id act on the file whatever its owner (the caller's
 *   right to it is checked above the catalogue, in files/Access.ts), in
 *   its owner's names.
 * - Names compare byte by byte (UTF-8), as S3 lists keys.
 * - A name is a file or a folder, never both: "a" and "a/b" can't both be
 *   files. Folders exist while files are in them.
 * - A live name is one file's; files in the trash hold no name.
 * - Writes are all or nothing, and two writers racing on one name never
 *   both win: the later one gets CONFLICT.
 */

/**
 * The owner of files stored before accounts existed (issue 16); the first
 * admin takes them over (Catalogue.claimLegacy).
 */
export const legacyOwner = '00000000-0000-0000-0000-000000000000';

export interface FileRecord {
  readonly id: string;
  /** The user whose file it is. */
  readonly owner: string;
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

/**
 * A file whose bytes are already in the store, to be recorded as it is (an
 * upgrade, a repair): it is legacyOwner's until the first admin claims it.
 */
export interface Adopted {
  readonly name: string;
  readonly key: string;
  readonly size: number;
  readonly checksum: string;
  readonly contentType: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A share link as kept: its secret only as a SHA-256. */
export interface ShareRecord {
  readonly id: string;
  readonly fileId: string;
  /** The user who made it. */
  readonly createdBy: string;
  readonly passwordHash: string | undefined;
  readonly expiresAt: Date;
  readonly createdAt: Date;
  /** Password attempts in a row not (yet) proved right; see ShareStore.attempt. */
  readonly failures: number;
  /** When the last of them was counted. */
  readonly lastFailureAt: Date | undefined;
}

export interface NewShare {
  readonly fileId: string;
  readonly createdBy: string;
  /** SHA-256 of the token, lowercase hex. */
  readonly tokenHash: string;
  readonly passwordHash: string | undefined;
  readonly expiresAt: Date;
}

export interface ShareStore {
  /** Records a link to a live file; NOT_FOUND when the file is not live. */
  create(share: NewShare): Promise<ShareRecord>;
  /** The live file and link a token hash opens, unless revoked, expired or the file is gone. */
  open(tokenHash: string, now: Date): Promise<{ share: ShareRecord; file: FileRecord } | undefined>;
  /** Links by who made them, or of one file (when `fileId` is given), newest first. */
  list(filter: { readonly createdBy?: string; readonly fileId?: string }): Promise<ShareRecord[]>;
  get(id: string): Promise<ShareRecord | undefined>;
  /** Forgets a link; false when there was none. */
  revoke(id: string): Promise<boolean>;
  /**
   * Counts one password attempt on link `id` as a failure, unless the
   * policy says it must wait first; atomic across replicas, so concurrent
   * guesses cannot all slip in on one count. Not allowed when the link is gone.
   */
  attempt(id: string, now: Date, policy: ThrottlePolicy): Promise<Attempt>;
  /** The right password: the link's failures start again from zero. */
  forgive(id: string): Promise<void>;
}

/** The usage report's reads and its cached summary. */
export interface UsageStore {
  /**
   * Live files of every owner in (owner, name) order, after `after`, at most
   * `limit`: the report's pages (keyset, so each page is an index range).
   */
  inventory(after: InventoryCursor | undefined, limit: number): Promise<FileRecord[]>;
  /** Counts every live file by content type and by owner (a scan: the summary's refresh). */
  totals(): Promise<UsageTotals>;
  /** The summary last stored, if any. */
  stored(): Promise<StoredUsage | undefined>;
  /** Keeps a summary for every replica; an older one than the one kept is ignored. */
  store(usage: StoredUsage): Promise<void>;
}

/** Where a page of the inventory ends: the last file's owner and name. */
export interface InventoryCursor {
  readonly owner: string;
  readonly name: string;
}

/** Live files and their bytes in one group (a content type, an owner). */
export interface UsageGroup {
  readonly key: string;
  readonly files: number;
  readonly bytes: number;
}

/** Live files and bytes in all, by content type and by owner, each largest first. */
export interface UsageTotals {
  readonly files: number;
  readonly bytes: number;
  readonly byType: readonly UsageGroup[];
  readonly byOwner: readonly UsageGroup[];
}

/** The usage summary as last stored: one for the whole catalogue, shared by every replica. */
export interface StoredUsage {
  readonly computedAt: Date;
  /** The summary as JSON (report/UsageService.ts reads and writes it). */
  readonly figures: string;
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

  /** A live file, whoever owns it. */
  get(id: string): Promise<FileRecord | undefined>;
  /** The owner's live file of this name. */
  find(owner: string, name: string): Promise<FileRecord | undefined>;
  list(owner: string, query: ListQuery): Promise<Page>;
  /** The owner's folders directly inside `prefix` ('' or "a/"), as paths ending in '/', in name order. */
  folders(owner: string, prefix: string): Promise<string[]>;
  trash(owner: string, query: TrashQuery): Promise<Page>;

  /** Bytes are about to be written under these keys: those no version ever uses are swept. */
  intend(keys: readonly string[]): Promise<void>;
  /**
   * Makes written bytes versions of the owner's files, all or none, as if
   * committed one after the other in this order (a later one sees the
   * earlier ones); the versions they replace become garbage. The records
   * come back in order. One name twice is refused (CONFLICT); a `replace`
   * of a file that is not the owner's is NOT_FOUND.
   */
  commit(owner: string, writes: readonly PendingWrite[]): Promise<FileRecord[]>;
  /** The writes under these keys failed: their bytes are garbage. */
  abandon(keys: readonly string[]): Promise<void>;
  /**
   * Gives a live file another name among its owner's; with `overwrite`, a
   * live file of that name goes to the trash.
   */
  rename(id: string, name: string, overwrite: boolean): Promise<FileRecord>;
  /** Moves every live file of the owner in folder `from` ("a/") to folder `to` ("b/"), which must not exist yet. */
  moveFolder(owner: string, from: string, to: string): Promise<number>;
  /**
   * Forgets files at once, not through the trash (a failed upload's new
   * files, files whose bytes are lost); their bytes are garbage.
   */
  discard(ids: readonly string[]): Promise<void>;
  /**
   * Moves live files to the trash (only `owner`'s, when given); returns the
   * ids it moved. Their share links die.
   */
  trashFiles(ids: readonly string[], owner: string | undefined): Promise<string[]>;
  /**
   * Brings files back from the trash (only `owner`'s, when given), all or
   * none: CONFLICT when a name is taken again.
   */
  restore(ids: readonly string[], owner: string | undefined): Promise<FileRecord[]>;
  /** Purges every file in the owner's trash; returns how many. */
  emptyTrash(owner: string): Promise<number>;
  /**
   * Gives every file of legacyOwner to `owner`, in one transaction, once
   * across replicas (a second call finds none left). Legacy files whose
   * names would clash with the owner's are moved, renamed, into a folder of
   * their own (see legacyFolder). Returns how many files changed owner.
   */
  claimLegacy(owner: string): Promise<number>;
  /** Share links, kept beside the files they open. */
  readonly shares: ShareStore;
  /** What the usage report reads, and its summary kept for every replica. */
  readonly usage: UsageStore;

  /**
   * Records files whose bytes are in the store already, in one transaction.
   * Each file refused (CONFLICT when its name is taken, or the folder rule)
   * is its AppError in its place, and leaves nothing written.
   */
  adopt(files: readonly Adopted[]): Promise<Array<FileRecord | AppError>>;
  /** Garbage, expired writes, the trash's retention, tasks run once: the sweeper's and start-up's. */
  readonly upkeep: Upkeep;
}

/** What keeps the catalogue and the bucket in step in the background (Sweeper, reconcile, adoptLegacy). */
export interface Upkeep {
  /** Purges files that went to the trash before `before`; returns how many. */
  purgeTrash(before: Date): Promise<number>;
  /** Writes begun before `before` and never committed: their bytes become garbage. */
  expireWrites(before: Date): Promise<number>;
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
