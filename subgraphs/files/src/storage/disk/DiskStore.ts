import { randomUUID } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '@filegraph/shared/errors';
import type {
  ByteRange,
  MeteredBody,
  ObjectInfo,
  Storage,
  Stored,
  StoredObject,
} from '../Storage.ts';

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** fsync a folder, so a rename in it survives a power cut. */
async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The folders under DATA_DIR whose files are objects: new ones, and those stored under their names before. */
const objectFolders = ['objects', 'files'];

/**
 * Objects as files under DATA_DIR (keys are paths below it). A write streams
 * to a temporary file, fsyncs it, then renames it into place: an object is
 * there whole or not at all, and a crash leaves only temporary files, which
 * the next start removes.
 */
export class DiskStore implements Storage {
  readonly kind = 'disk' as const;
  readonly #root: string;
  readonly #temporary: string;

  constructor(root: string) {
    this.#root = root;
    this.#temporary = join(root, 'tmp');
  }

  async open(): Promise<void> {
    await mkdir(join(this.#root, 'objects'), { recursive: true });
    // Leftovers of writes a crash interrupted: never anyone's bytes.
    await rm(this.#temporary, { recursive: true, force: true });
    await mkdir(this.#temporary, { recursive: true });
  }

  async close(): Promise<void> {}

  async check(): Promise<void> {
    await access(join(this.#root, 'objects'), constants.W_OK);
  }

  async put(key: string, body: MeteredBody): Promise<Stored> {
    const target = this.#path(key);
    const temporary = join(this.#temporary, randomUUID());
    try {
      const handle = await open(temporary, 'wx');
      try {
        for await (const chunk of body) await handle.write(chunk);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await mkdir(dirname(target), { recursive: true });
      await rename(temporary, target);
      await syncFolder(dirname(target));
      return { size: body.size, checksum: body.checksum };
    } finally {
      await rm(temporary, { force: true });
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const stream = createReadStream(this.#path(key), range ?? {});
    try {
      await once(stream, 'open');
    } catch (error) {
      if (errno(error) !== 'ENOENT') throw error;
      throw new AppError('NOT_FOUND', 'The bytes of this file are missing from storage.');
    }
    return stream;
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      try {
        await unlink(this.#path(key));
      } catch (error) {
        if (errno(error) !== 'ENOENT') throw error;
      }
    }
  }

  async *objects(): AsyncGenerator<StoredObject> {
    for (const folder of objectFolders) {
      let entries;
      try {
        entries = await readdir(join(this.#root, folder), { recursive: true, withFileTypes: true });
      } catch (error) {
        if (errno(error) === 'ENOENT') continue;
        throw error;
      }
      for (const entry of entries) {
        if (!entry.isFile()) continue;
        const path = join(entry.parentPath, entry.name);
        const { size, mtime } = await stat(path);
        yield { key: relative(this.#root, path).split(sep).join('/'), size, modified: mtime };
      }
    }
  }

  async describe(key: string): Promise<ObjectInfo | undefined> {
    try {
      const { size, mtime } = await stat(this.#path(key));
      return { key, size, modified: mtime, contentType: undefined, metadata: {} };
    } catch (error) {
      if (errno(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  /**
   * The file of a key. Keys come from the catalogue, but join() would
   * resolve "a/../b" to another file: the path must lie in an object folder
   * and spell the key back.
   */
  #path(key: string): string {
    const path = join(this.#root, ...key.split('/'));
    const inside = objectFolders.some((folder) => path.startsWith(join(this.#root, folder) + sep));
    if (!inside || relative(this.#root, path).split(sep).join('/') !== key)
      throw new Error(`not a key of this store: ${JSON.stringify(key)}`);
    return path;
  }
}
