import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@filegraph/shared/errors';
import type { Logger } from '@filegraph/shared/logger';
import type { Metrics } from '@filegraph/shared/metrics';
import { noFileKept, quotedName } from '@filegraph/shared/uploadErrors';
import type { Catalogue, FileRecord, Order, Page, WriteTarget } from '../catalogue/Catalogue.ts';
import { searchFold } from '../catalogue/paths.ts';
import { alreadyExists, noSuchFile } from '../catalogue/refusals.ts';
import { newKey } from '../storage/keys.ts';
import type { Storage } from '../storage/Storage.ts';
import { contentTypeFor } from './contentTypes.ts';
import { decodeCursor, decodeTrashCursor, encodeCursor, encodeTrashCursor } from './cursors.ts';
import { Meter } from './Meter.ts';
import { fileName, folderPrefix, nameInFolder } from './names.ts';

/** A file arriving in a multipart request, as the upload reader (shared/src/uploads) hands it over. */
export interface IncomingFile {
  readonly filename: string;
  readonly mimetype: string;
  createReadStream(): Readable;
}

export interface Limits {
  readonly maxFileSize: number;
  readonly maxFiles: number;
}

export const defaultPageSize = 50;
export const maxPageSize = 1000;
const maxSearchLength = 256;
const maxIdsAtOnce = 1000;

export interface ListArguments {
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
 * What the API can do with files: checks every input before anything is
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
  }

  get(id: string): Promise<FileRecord | undefined> {
    return this.#catalogue.get(id);
  }

  async list(args: ListArguments): Promise<FilePage> {
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
    const page = await this.#catalogue.list({
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

  async trash(args: { first?: number | null; after?: string | null }): Promise<FilePage> {
    const page = await this.#catalogue.trash({
      limit: pageSize(args.first),
      after: args.after ? decodeTrashCursor(args.after) : undefined,
    });
    const last = page.files.at(-1);
    return { ...page, endCursor: last ? encodeTrashCursor(last) : null };
  }

  /** The folders directly inside `prefix`. */
  async folders(prefix: string | null | undefined): Promise<Array<{ path: string; name: string }>> {
    const paths = await this.#catalogue.folders(folderPrefix(prefix));
    return paths.map((path) => ({ path, name: path.slice(0, -1).split('/').at(-1) ?? path }));
  }

  get limits(): Limits {
    return { maxFileSize: this.#limits.maxFileSize, maxFiles: this.#limits.maxFiles };
  }

  /**
   * Stores every file of one request under `prefix`, in order, streaming
   * each as it arrives. If any file is refused, the files this request
   * created are forgotten again and the error says so.
   */
  async upload(
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
    const folder = folderPrefix(options.prefix);
    const mode = options.overwrite ? 'upsert' : 'create';
    const stored: FileRecord[] = [];
    const created: string[] = [];
    try {
      for (const pending of files) {
        const file = await pending;
        const name = nameInFolder(folder, file.filename);
        if (stored.some((record) => record.name === name)) {
          throw new AppError(
            'CONFLICT',
            `This request carries two files named ${JSON.stringify(name)}.`,
          );
        }
        const record = await this.#write({ mode, name }, file);
        stored.push(record);
        if (record.createdAt.getTime() === record.updatedAt.getTime()) created.push(record.id);
      }
      return stored;
    } catch (error) {
      await this.#catalogue.discard(created).catch((undoError: unknown) =>
        this.#logger.error('could not forget the files of a failed upload', {
          ids: created,
          err: undoError,
        }),
      );
      throw files.length > 1 && error instanceof AppError ? noFileKept(error) : error;
    }
  }

  async replace(id: string, pending: Promise<IncomingFile>): Promise<FileRecord> {
    return this.#write({ mode: 'replace', id }, await pending);
  }

  async rename(id: string, newName: string, overwrite: boolean): Promise<FileRecord> {
    return this.#catalogue.rename(id, fileName(newName), overwrite);
  }

  /** Moves a whole folder: a change of records only, whatever it holds. */
  async moveFolder(path: string, to: string): Promise<number> {
    const from = folderPrefix(path);
    const target = folderPrefix(to);
    if (from === '' || target === '')
      throw new AppError('BAD_USER_INPUT', 'Both folders must be named; the top is not one.');
    return this.#catalogue.moveFolder(from, target);
  }

  /** Moves files to the trash; returns the ids of those it moved. */
  async delete(ids: readonly string[]): Promise<string[]> {
    return this.#catalogue.trashFiles(fewIds(ids));
  }

  async restore(ids: readonly string[]): Promise<FileRecord[]> {
    return this.#catalogue.restore(fewIds(ids));
  }

  emptyTrash(): Promise<number> {
    return this.#catalogue.emptyTrash();
  }

  /**
   * Bytes under a new key, then the record. A refusal known before a byte
   * is read (the name taken, the file gone) comes first, so a large upload
   * is not sent in vain; the commit checks again, for real.
   */
  async #write(target: WriteTarget, file: IncomingFile): Promise<FileRecord> {
    if (target.mode === 'create' && (await this.#catalogue.find(target.name)))
      throw alreadyExists(target.name);
    const existing = target.mode === 'replace' ? await this.#catalogue.get(target.id) : undefined;
    if (target.mode === 'replace' && !existing) throw noSuchFile();
    const name = target.mode === 'replace' ? (existing?.name ?? '') : target.name;
    const source = file.createReadStream();
    const meter = new Meter(this.#limits.maxFileSize, quotedName(file.filename));
    // Failures on either side reach the store through the meter.
    pipeline(source, meter).catch(() => {});
    const key = newKey();
    const contentType = contentTypeFor(name, file.mimetype);
    try {
      await this.#catalogue.intend(key);
      const stored = await this.#storage.put(key, meter, contentType);
      const record = await this.#catalogue.commit(target, { key, contentType, ...stored });
      this.#metrics.uploadBytes.inc({}, stored.size);
      return record;
    } catch (error) {
      source.destroy();
      await this.#storage.remove([key]).catch(() => {});
      await this.#catalogue.abandon(key).catch((abandonError: unknown) =>
        this.#logger.warn('could not note an abandoned write; the sweeper will find it', {
          key,
          err: abandonError,
        }),
      );
      throw error;
    }
  }
}
