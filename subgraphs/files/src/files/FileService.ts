import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@filegraph/shared/errors';
import { signedIn, type Caller, type Identity } from '@filegraph/shared/identity';
import type { Logger } from '@filegraph/shared/logger';
import { uploadSizeClass, type Metrics } from '@filegraph/shared/metrics';
import { noFileKept, quotedName } from '@filegraph/shared/uploadErrors';
import type {
  Catalogue,
  FileRecord,
  Order,
  Page,
  PendingWrite,
  WriteTarget,
} from '../catalogue/Catalogue.ts';
import { searchFold } from '../catalogue/paths.ts';
import { alreadyExists, noSuchFile, twiceInOneWrite } from '../catalogue/refusals.ts';
import { newKey } from '../storage/keys.ts';
import type { Storage } from '../storage/Storage.ts';
import { idScope, listedOwner, mayUse } from './Access.ts';
import { contentTypeFor } from './contentTypes.ts';
import { LegacyClaim } from './LegacyClaim.ts';
import { decodeCursor, decodeTrashCursor, encodeCursor, encodeTrashCursor } from './cursors.ts';
import { BytesInFlight } from './BytesInFlight.ts';
import { Meter } from './Meter.ts';
import { fileName, folderPrefix, nameInFolder } from './names.ts';

/** A file arriving in a multipart request, as the upload reader (shared/src/uploads) hands it over. */
export interface IncomingFile {
  readonly filename: string;
  readonly mimetype: string;
  createReadStream(): Readable;
}

/** What an Upload argument holds: the file, once the reader reaches its part. */
export type Upload = Promise<IncomingFile>;

export interface Limits {
  readonly maxFileSize: number;
  readonly maxFiles: number;
}

export const defaultPageSize = 50;
export const maxPageSize = 1000;
const maxSearchLength = 256;
const maxIdsAtOnce = 1000;
/** Files of one request whose bytes may be on their way to storage at once. */
const bytesAtOnce = 4;
/** A file this large has its name checked while it arrives, not only at the commit. */
const checkNamesPast = 1 << 20;

export interface ListArguments {
  /** Whose files: an admin's choice; the caller's when omitted. */
  readonly owner?: string | null;
  readonly first?: number | null;
  readonly after?: string | null;
  readonly search?: string | null;
  readonly prefix?: string | null;
  readonly recursive?: boolean | null;
  readonly orderBy?: {
    readonly field?: 'NAME' | 'SIZE' | 'UPDATED_AT' | null;
    readonly direction?: 'ASC' | 'DESC' | null;
  } | null;
}

export interface FilePage extends Page {
  readonly endCursor: string | null;
}

const orderFields = { NAME: 'name', SIZE: 'size', UPDATED_AT: 'updatedAt' } as const;

function pageSize(first: number | null | undefined): number {
  const limit = first ?? defaultPageSize;
  if (!Number.isInteger(limit) || limit < 0 || limit > maxPageSize) {
    throw new AppError('BAD_USER_INPUT', `first must be from 0 to ${maxPageSize} (got ${limit}).`);
  }
  return limit;
}

function fewIds(ids: readonly string[]): readonly string[] {
  if (ids.length > maxIdsAtOnce)
    throw new AppError('BAD_USER_INPUT', `At most ${maxIdsAtOnce} ids may be given at once.`);
  return ids;
}

/**
 * What the API can do with files, for a caller (files/Access.ts says who
 * may do what): checks every input before anything is
 * stored, applies the limits, keeps a multi-file upload all or nothing, and
 * writes in the order that keeps the catalogue true: bytes first, under a
 * key announced beforehand (so bytes of a write that never commits are
 * swept), then the record, in one transaction.
 */
export class FileService {
  readonly #catalogue: Catalogue;
  readonly #storage: Storage;
  readonly #limits: Limits;
  readonly #logger: Logger;
  readonly #metrics: Metrics;
  readonly #legacy: LegacyClaim;

  constructor(
    catalogue: Catalogue,
    storage: Storage,
    limits: Limits,
    logger: Logger,
    metrics: Metrics,
  ) {
    this.#catalogue = catalogue;
    this.#storage = storage;
    this.#limits = limits;
    this.#logger = logger;
    this.#metrics = metrics;
    this.#legacy = new LegacyClaim(catalogue, logger);
  }

  /**
   * The signed-in caller of a request, or UNAUTHENTICATED; the first
   * admin's first request here claims the files stored before accounts.
   */
  async callerOf(identity: Identity): Promise<Caller> {
    const caller = signedIn(identity);
    await this.#legacy.before(caller);
    return caller;
  }

  /** A live file the caller may use; someone else's is as good as none. */
  async get(caller: Caller, id: string): Promise<FileRecord | undefined> {
    const file = await this.#catalogue.get(id);
    return file && mayUse(caller, file) ? file : undefined;
  }

  async list(caller: Caller, args: ListArguments): Promise<FilePage> {
    const owner = listedOwner(caller, args.owner);
    const limit = pageSize(args.first);
    const search = args.search?.trim() ?? '';
    if (search.length > maxSearchLength) {
      throw new AppError(
        'BAD_USER_INPUT',
        `search may be at most ${maxSearchLength} characters long.`,
      );
    }
    const order: Order = {
      field: orderFields[args.orderBy?.field ?? 'NAME'],
      descending: args.orderBy?.direction === 'DESC',
    };
    const page = await this.#catalogue.list(owner, {
      prefix: folderPrefix(args.prefix),
      recursive: args.recursive ?? true,
      search: search === '' ? undefined : searchFold(search),
      order,
      after: args.after ? decodeCursor(args.after, order) : undefined,
      limit,
    });
    const last = page.files.at(-1);
    return { ...page, endCursor: last ? encodeCursor(last, order) : null };
  }

  async trash(
    caller: Caller,
    args: { owner?: string | null; first?: number | null; after?: string | null },
  ): Promise<FilePage> {
    const owner = listedOwner(caller, args.owner);
    const page = await this.#catalogue.trash(owner, {
      limit: pageSize(args.first),
      after: args.after ? decodeTrashCursor(args.after) : undefined,
    });
    const last = page.files.at(-1);
    return { ...page, endCursor: last ? encodeTrashCursor(last) : null };
  }

  /** The folders directly inside `prefix`. */
  async folders(
    caller: Caller,
    prefix: string | null | undefined,
  ): Promise<Array<{ path: string; name: string }>> {
    const paths = await this.#catalogue.folders(caller.id, folderPrefix(prefix));
    return paths.map((path) => ({ path, name: path.slice(0, -1).split('/').at(-1) ?? path }));
  }

  get limits(): Limits {
    return { maxFileSize: this.#limits.maxFileSize, maxFiles: this.#limits.maxFiles };
  }

  /**
   * Stores every file of one request under `prefix`, streaming each as it
   * arrives. A few files' bytes go to storage at once (a small file is read
   * whole before its PUT, so the next one can arrive meanwhile); then all
   * of them become files in one commit. If any is refused, none is kept.
   * They are the caller's, whoever the caller is.
   */
  async upload(
    caller: Caller,
    files: ReadonlyArray<Promise<IncomingFile>>,
    options: { prefix?: string | null; overwrite?: boolean | null },
  ): Promise<FileRecord[]> {
    if (files.length === 0)
      throw new AppError('BAD_USER_INPUT', 'files is empty: send at least one file.');
    if (files.length > this.#limits.maxFiles) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `Too many files in one request: at most ${this.#limits.maxFiles} are accepted (MAX_FILES).`,
      );
    }
    const started = performance.now();
    const folder = folderPrefix(options.prefix);
    const mode = options.overwrite ? 'upsert' : 'create';
    const keys = files.map(() => newKey());
    const inFlight = new BytesInFlight(bytesAtOnce);
    await this.#catalogue.intend(keys);
    try {
      const names = new Set<string>();
      for (const [index, pending] of files.entries()) {
        const file = await inFlight.unlessFailed(pending);
        const name = nameInFolder(folder, file.filename);
        if (names.has(name)) throw twiceInOneWrite(name);
        names.add(name);
        // A large file is refused before its bytes are sent in vain if the
        // name is taken now; the commit checks every name again, for real.
        const free =
          mode === 'create'
            ? async () => {
                if (await this.#catalogue.find(caller.id, name)) throw alreadyExists(name);
              }
            : undefined;
        await inFlight.add(
          this.#storeBytes(
            { mode, name },
            name,
            file,
            keys[index] as string,
            inFlight.signal,
            free,
          ),
        );
      }
      const records = await this.#catalogue.commit(caller.id, await inFlight.all());
      for (const record of records) this.#metrics.uploadBytes.inc({}, record.size);
      this.#uploaded(started, records);
      return records;
    } catch (error) {
      await this.#forget(keys, inFlight);
      throw files.length > 1 && error instanceof AppError ? noFileKept(error) : error;
    }
  }

  /** A new version of a file; it stays its owner's (an admin may replace anyone's). */
  async replace(caller: Caller, id: string, pending: Promise<IncomingFile>): Promise<FileRecord> {
    const started = performance.now();
    const existing = await this.get(caller, id);
    if (!existing) throw noSuchFile();
    const key = newKey();
    const inFlight = new BytesInFlight(1);
    await this.#catalogue.intend([key]);
    try {
      const file = await pending;
      await inFlight.add(
        this.#storeBytes({ mode: 'replace', id }, existing.name, file, key, inFlight.signal),
      );
      const [record] = await this.#catalogue.commit(existing.owner, await inFlight.all());
      this.#metrics.uploadBytes.inc({}, record?.size ?? 0);
      this.#uploaded(started, record ? [record] : []);
      return record as FileRecord;
    } catch (error) {
      await this.#forget([key], inFlight);
      throw error;
    }
  }

  /** One upload operation's time, from its start to its commit, for the upload latency alert. */
  #uploaded(started: number, records: readonly FileRecord[]): void {
    const bytes = records.reduce((sum, record) => sum + record.size, 0);
    this.#metrics.uploadDuration.observe(
      { size: uploadSizeClass(bytes) },
      (performance.now() - started) / 1_000,
    );
  }

  /** A write that will not be committed: its bytes go now, and the keys become garbage. */
  async #forget(keys: readonly string[], inFlight: BytesInFlight): Promise<void> {
    await inFlight.abort();
    await this.#storage.remove(keys).catch(() => {});
    await this.#catalogue.abandon(keys).catch((abandonError: unknown) =>
      this.#logger.warn('could not note abandoned writes; the sweeper will find them', {
        keys,
        err: abandonError,
      }),
    );
  }

  /**
   * One file's bytes into storage under `key`, for the file `name`. Past
   * the first MiB, `free` checks the name meanwhile (a small file is not
   * worth the round trip: its commit checks); its refusal, or `stop`, ends
   * the bytes at once.
   */
  async #storeBytes(
    target: WriteTarget,
    name: string,
    file: IncomingFile,
    key: string,
    stop: AbortSignal,
    free?: () => Promise<void>,
  ): Promise<PendingWrite> {
    const source = file.createReadStream();
    const meter = new Meter(this.#limits.maxFileSize, quotedName(file.filename));
    // Failures on either side reach the store through the meter.
    pipeline(source, meter).catch(() => {});
    let checked: Promise<void> | undefined;
    if (free) {
      meter.whenPast(checkNamesPast, () => {
        checked = free();
        checked.catch((error: unknown) => source.destroy(error as Error));
      });
    }
    stop.addEventListener('abort', () => source.destroy(stop.reason as Error), { once: true });
    const contentType = contentTypeFor(name, file.mimetype);
    try {
      const stored = await this.#storage.put(key, meter, contentType);
      await checked;
      return { target, written: { key, contentType, ...stored } };
    } catch (error) {
      source.destroy();
      throw error;
    }
  }

  /** A file's owner never changes, so checking it before the rename's own transaction is enough. */
  async rename(
    caller: Caller,
    id: string,
    newName: string,
    overwrite: boolean,
  ): Promise<FileRecord> {
    const name = fileName(newName);
    if (!(await this.get(caller, id))) throw noSuchFile();
    return this.#catalogue.rename(id, name, overwrite);
  }

  /** Moves a whole folder of the caller's: a change of records only, whatever it holds. */
  async moveFolder(caller: Caller, path: string, to: string): Promise<number> {
    const from = folderPrefix(path);
    const target = folderPrefix(to);
    if (from === '' || target === '')
      throw new AppError('BAD_USER_INPUT', 'Both folders must be named; the top is not one.');
    return this.#catalogue.moveFolder(caller.id, from, target);
  }

  /** Moves files to the trash; returns the ids of those it moved (someone else's are left out). */
  async delete(caller: Caller, ids: readonly string[]): Promise<string[]> {
    return this.#catalogue.trashFiles(fewIds(ids), idScope(caller));
  }

  async restore(caller: Caller, ids: readonly string[]): Promise<FileRecord[]> {
    return this.#catalogue.restore(fewIds(ids), idScope(caller));
  }

  /** Empties the caller's own trash. */
  emptyTrash(caller: Caller): Promise<number> {
    return this.#catalogue.emptyTrash(caller.id);
  }
}
