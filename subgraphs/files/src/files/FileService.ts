import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@filegraph/shared/errors';
import { noFileKept, quotedName } from '@filegraph/shared/uploadErrors';
import type { Logger } from '@filegraph/shared/logger';
import type { Metrics } from '@filegraph/shared/metrics';
import type { FileRecord, Order, Page, Storage, WriteMode } from '../storage/Storage.ts';
import { decodeCursor, encodeCursor } from './cursors.ts';
import { contentTypeFor } from './contentTypes.ts';
import { nameOfId } from './ids.ts';
import { Meter } from './Meter.ts';
import { fileName, folderPrefix, nameInFolder, searchFold } from './names.ts';

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
const maxIdsPerDelete = 1000;

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

/**
 * What the API can do with files, in terms of a Storage: checks every input
 * before anything is stored, applies the limits, and keeps a multi-file
 * upload all or nothing.
 */
export class FileService {
  readonly #storage: Storage;
  readonly #limits: Limits;
  readonly #logger: Logger;
  readonly #metrics: Metrics;

  constructor(storage: Storage, limits: Limits, logger: Logger, metrics: Metrics) {
    this.#storage = storage;
    this.#limits = limits;
    this.#logger = logger;
    this.#metrics = metrics;
  }

  async get(id: string): Promise<FileRecord | undefined> {
    const name = nameOfId(id);
    return name === undefined ? undefined : this.#storage.stat(name);
  }

  async list(args: ListArguments): Promise<FilePage> {
    const limit = args.first ?? defaultPageSize;
    if (!Number.isInteger(limit) || limit < 0 || limit > maxPageSize) {
      throw new AppError(
        'BAD_USER_INPUT',
        `first must be from 0 to ${maxPageSize} (got ${limit}).`,
      );
    }
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
    const page = await this.#storage.list({
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

  /** The folders directly inside `prefix`. */
  async folders(prefix: string | null | undefined): Promise<Array<{ path: string; name: string }>> {
    const paths = await this.#storage.folders(folderPrefix(prefix));
    return paths.map((path) => ({ path, name: path.slice(0, -1).split('/').at(-1) ?? path }));
  }

  get limits(): Limits {
    return { maxFileSize: this.#limits.maxFileSize, maxFiles: this.#limits.maxFiles };
  }

  /**
   * Stores every file of one request under `prefix`, in order, streaming
   * each as it arrives. If any file is refused, the files this request
   * created are removed again and the error says so.
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
    const mode: WriteMode = options.overwrite ? 'upsert' : 'create';
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
        const existed = mode === 'upsert' && (await this.#storage.stat(name)) !== undefined;
        stored.push(await this.#store(name, file, mode));
        if (!existed) created.push(name);
      }
      return stored;
    } catch (error) {
      await this.#undo(created);
      throw files.length > 1 && error instanceof AppError ? noFileKept(error) : error;
    }
  }

  async replace(id: string, pending: Promise<IncomingFile>): Promise<FileRecord> {
    return this.#store(existingName(id), await pending, 'replace');
  }

  async rename(id: string, newName: string, overwrite: boolean): Promise<FileRecord> {
    return this.#storage.rename(existingName(id), fileName(newName), overwrite);
  }

  /** Deletes what exists; returns the ids of the files it deleted. */
  async delete(ids: readonly string[]): Promise<string[]> {
    if (ids.length > maxIdsPerDelete) {
      throw new AppError(
        'BAD_USER_INPUT',
        `At most ${maxIdsPerDelete} ids may be deleted at once.`,
      );
    }
    const deleted: string[] = [];
    for (const id of new Set(ids)) {
      const name = nameOfId(id);
      if (name !== undefined && (await this.#storage.remove(name))) deleted.push(id);
    }
    return deleted;
  }

  async #store(name: string, file: IncomingFile, mode: WriteMode): Promise<FileRecord> {
    const source = file.createReadStream();
    const meter = new Meter(this.#limits.maxFileSize, quotedName(file.filename));
    // Failures on either side reach the driver through the meter.
    pipeline(source, meter).catch(() => {});
    try {
      const stored = await this.#storage.write(name, meter, {
        mode,
        contentType: contentTypeFor(name, file.mimetype),
      });
      this.#metrics.uploadBytes.inc({}, stored.size);
      return stored;
    } catch (error) {
      source.destroy();
      throw error;
    }
  }

  async #undo(created: readonly string[]): Promise<void> {
    for (const name of created) {
      await this.#storage
        .remove(name)
        .catch((error: unknown) =>
          this.#logger.error('could not remove a file of a failed upload', { name, err: error }),
        );
    }
  }
}

/** The name of the file `id` stands for; NOT_FOUND when no file can have it. */
function existingName(id: string): string {
  const name = nameOfId(id);
  if (name === undefined) {
    throw new AppError(
      'NOT_FOUND',
      'There is no file with this id; it may have been renamed or deleted.',
    );
  }
  return name;
}
