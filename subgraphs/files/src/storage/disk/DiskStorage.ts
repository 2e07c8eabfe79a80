import { createHash, randomUUID } from 'node:crypto';
import { constants, createReadStream, readFileSync, statSync } from 'node:fs';
import {
  type FileHandle,
  access,
  link,
  mkdir,
  open,
  readdir,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
} from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '@filegraph/shared/logger';
import { contentTypeFor } from '../../files/contentTypes.ts';
import type { Meter } from '../../files/Meter.ts';
import { fileName, parentFolders, searchFold } from '../../files/names.ts';
import { NameLocks } from '../NameLocks.ts';
import { alreadyExists, isFolder, notFound, parentIsFile } from '../conflicts.ts';
import type {
  ByteRange,
  FileRecord,
  ListQuery,
  Opened,
  Page,
  Storage,
  WriteMode,
  WriteOptions,
} from '../Storage.ts';
import { Catalog } from './Catalog.ts';

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** SHA-256 of a file: read whole when small, streamed when not. */
async function sha256Of(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  if (size <= 1 << 20) return hash.update(readFileSync(path)).digest('hex');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** fsync a folder, so a rename or link in it survives a power cut. */
async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Files in a folder on local disk, under their own names (DATA_DIR/files/…),
 * so they stay readable without filegraph. A write streams to a temporary
 * file, fsyncs it, then links (create: fails if the name is taken) or
 * renames (replace) it into place: readers only ever see whole files.
 */
export class DiskStorage implements Storage {
  readonly kind = 'disk' as const;
  readonly #files: string;
  readonly #temporary: string;
  readonly #catalogPath: string;
  readonly #logger: Logger;
  readonly #locks = new NameLocks();
  #opened: Catalog | undefined;

  constructor(root: string, logger: Logger) {
    this.#files = join(root, 'files');
    this.#temporary = join(root, 'tmp');
    this.#catalogPath = join(root, 'catalog.sqlite');
    this.#logger = logger;
  }

  get #catalog(): Catalog {
    if (!this.#opened) throw new Error('DiskStorage used before open()');
    return this.#opened;
  }

  async open(): Promise<void> {
    if (this.#opened) return;
    await mkdir(this.#files, { recursive: true });
    // Leftovers of writes a crash interrupted: never visible, safe to drop.
    await rm(this.#temporary, { recursive: true, force: true });
    await mkdir(this.#temporary, { recursive: true });
    this.#opened = new Catalog(this.#catalogPath);
    await this.#reconcile();
  }

  async close(): Promise<void> {
    this.#opened?.close();
    this.#opened = undefined;
  }

  async check(): Promise<void> {
    await access(this.#files, constants.W_OK);
    this.#catalog.get('');
  }

  async stat(name: string): Promise<FileRecord | undefined> {
    return this.#catalog.get(name);
  }

  async list(query: ListQuery): Promise<Page> {
    return this.#catalog.list(query);
  }

  async folders(prefix: string): Promise<string[]> {
    return this.#catalog.folders(prefix);
  }

  async write(name: string, body: Meter, options: WriteOptions): Promise<FileRecord> {
    this.#admit(name, options.mode);
    const temporary = join(this.#temporary, randomUUID());
    try {
      const handle = await open(temporary, 'wx');
      try {
        for await (const chunk of body) await handle.write(chunk as Buffer);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return await this.#locks.with([name], async () => {
        // Checked again: another request may have taken or removed the name meanwhile.
        const existing = this.#admit(name, options.mode);
        const target = this.#path(name);
        await this.#place(name, () =>
          options.mode === 'create' ? link(temporary, target) : rename(temporary, target),
        );
        await syncFolder(dirname(target));
        const { mtimeMs } = await stat(target);
        const updatedAt = new Date(Math.floor(mtimeMs));
        const record: FileRecord = {
          name,
          size: body.size,
          contentType: options.contentType,
          checksum: body.checksum,
          createdAt: existing?.createdAt ?? updatedAt,
          updatedAt,
        };
        this.#catalog.put(record, searchFold(name));
        return record;
      });
    } finally {
      await rm(temporary, { force: true });
    }
  }

  /**
   * Opened under the name's lock, which writes take to move a new version
   * into place and record it: the descriptor and the catalogue row are of
   * one version, and the descriptor keeps reading it after a replace.
   */
  async openFile(name: string): Promise<Opened | undefined> {
    return this.#locks.with([name], async () => {
      const record = this.#catalog.get(name);
      if (!record) return undefined;
      let handle: FileHandle;
      try {
        handle = await open(this.#path(name), 'r');
      } catch (error) {
        if (errno(error) !== 'ENOENT') throw error;
        this.#catalog.delete(name);
        return undefined;
      }
      return {
        record,
        read: async (range?: ByteRange) => ({ record, body: handle.createReadStream(range ?? {}) }),
        close: () => void handle.close().catch(() => {}),
      };
    });
  }

  async rename(from: string, to: string, overwrite: boolean): Promise<FileRecord> {
    return this.#locks.with([from, to], async () => {
      const source = this.#catalog.get(from);
      if (!source) throw notFound(from);
      if (from === to) return source;
      this.#admit(to, overwrite ? 'upsert' : 'create');
      const target = this.#path(to);
      const origin = this.#path(from);
      if (overwrite) {
        await this.#place(to, () => rename(origin, target));
      } else {
        await this.#place(to, () => link(origin, target));
        await unlink(origin);
      }
      await syncFolder(dirname(target));
      await syncFolder(dirname(origin));
      const moved: FileRecord = { ...source, name: to };
      this.#catalog.move(from, moved, searchFold(to));
      await this.#removeEmptyFolders(from);
      return moved;
    });
  }

  async remove(name: string): Promise<boolean> {
    return this.#locks.with([name], async () => {
      const known = this.#catalog.get(name) !== undefined;
      try {
        await unlink(this.#path(name));
      } catch (error) {
        if (errno(error) !== 'ENOENT') throw error;
        if (!known) return false;
      }
      this.#catalog.delete(name);
      await this.#removeEmptyFolders(name);
      return true;
    });
  }

  /**
   * Where a file lives. Names are validated before they get here; this is
   * the last line of defence: join() would resolve "a/../b", "./a" or "a//b"
   * to another file's path, so the path must lie inside the folder and spell
   * the same name back.
   */
  #path(name: string): string {
    const path = join(this.#files, ...name.split('/'));
    if (
      !path.startsWith(this.#files + sep) ||
      relative(this.#files, path).split(sep).join('/') !== name
    )
      throw new Error(`name does not name a file of this storage: ${JSON.stringify(name)}`);
    return path;
  }

  /** Refuses a write the mode or the folder rule forbids; returns the file it replaces. */
  #admit(name: string, mode: WriteMode): FileRecord | undefined {
    const existing = this.#catalog.get(name);
    if (existing && mode === 'create') throw alreadyExists(name);
    if (!existing && mode === 'replace') throw notFound(name);
    if (this.#catalog.hasFolder(`${name}/`)) throw isFolder(name);
    for (const parent of parentFolders(name)) {
      if (this.#catalog.get(parent)) throw parentIsFile(parent, name);
    }
    return existing;
  }

  /**
   * Creates the folders of `name`, then runs `move`. A concurrent delete may
   * remove an emptied folder in between, so ENOENT is retried a few times.
   */
  async #place(name: string, move: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      await mkdir(dirname(this.#path(name)), { recursive: true });
      try {
        await move();
        return;
      } catch (error) {
        const code = errno(error);
        if (code === 'EEXIST') throw alreadyExists(name);
        if (code === 'EISDIR' || code === 'ENOTEMPTY') throw isFolder(name);
        if (code !== 'ENOENT' || attempt === 3) throw error;
      }
    }
  }

  /** Folders exist only while they hold files, as on S3. */
  async #removeEmptyFolders(name: string): Promise<void> {
    for (const folder of parentFolders(name).reverse()) {
      try {
        await rmdir(this.#path(folder));
      } catch {
        return;
      }
    }
  }

  /**
   * Brings the catalogue in line with the folder after a crash or a hand
   * edit: files that appeared are hashed and added, changed ones re-hashed,
   * vanished ones dropped. Files whose names we would refuse are left alone.
   * Runs once at start, before the service is ready: metadata is read
   * synchronously (100,000 files take about a second), content is hashed
   * in memory when small and streamed when not.
   */
  async #reconcile(): Promise<void> {
    const started = performance.now();
    const known = new Map<string, { size: number; updatedAt: number }>();
    for (const entry of this.#catalog.entries()) known.set(entry.name, entry);
    const changed: Array<{
      name: string;
      path: string;
      size: number;
      updatedAt: number;
      createdAt: number;
    }> = [];
    let files = 0;
    let skipped = 0;
    for (const entry of await readdir(this.#files, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      files += 1;
      const path = join(entry.parentPath, entry.name);
      const name = relative(this.#files, path).split(sep).join('/');
      if (!this.#acceptable(name)) {
        skipped += 1;
        this.#logger.warn('file left out of the catalogue: its name is not allowed', { name });
        continue;
      }
      const row = known.get(name);
      known.delete(name);
      const info = statSync(path);
      const updatedAt = Math.floor(info.mtimeMs);
      if (row && row.size === info.size && row.updatedAt === updatedAt) continue;
      changed.push({
        name,
        path,
        size: info.size,
        updatedAt,
        createdAt: Math.floor(info.birthtimeMs) || updatedAt,
      });
    }
    const records: FileRecord[] = [];
    for (const file of changed) {
      const previous = this.#catalog.get(file.name);
      records.push({
        name: file.name,
        size: file.size,
        contentType: previous?.contentType ?? contentTypeFor(file.name, undefined),
        checksum: await sha256Of(file.path, file.size),
        createdAt: previous?.createdAt ?? new Date(file.createdAt),
        updatedAt: new Date(file.updatedAt),
      });
    }
    this.#catalog.transaction(() => {
      for (const record of records) this.#catalog.put(record, searchFold(record.name));
      for (const name of known.keys()) this.#catalog.delete(name);
    });
    this.#logger.info('disk storage ready', {
      files,
      catalogued: records.length,
      dropped: known.size,
      skipped,
      ms: Math.round(performance.now() - started),
    });
  }

  #acceptable(name: string): boolean {
    try {
      return fileName(name) === name;
    } catch {
      return false;
    }
  }
}
