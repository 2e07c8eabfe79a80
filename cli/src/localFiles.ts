import { opendir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { localError, usageError } from './errors.ts';

/** A file on disk and where it goes. */
export interface LocalFile {
  /** Its path on disk, as found. */
  readonly path: string;
  /** The folder it goes to: '' (the top) or "a/b/". */
  readonly prefix: string;
  /** Its own name there. */
  readonly filename: string;
  /** prefix + filename, the full name it is stored under. */
  readonly name: string;
  readonly size: number;
}

export interface Skipped {
  readonly path: string;
  readonly reason: string;
}

/**
 * The files the command line names, in order: a file goes into `folder`
 * under its own name; a folder goes in with its own name and everything
 * below it, relative paths kept (`photos` → folder/photos/2024/a.jpg).
 * Folders are read in name order. A path that does not exist is a usage
 * error before anything is sent. Links to files are followed; links to
 * folders, sockets and the like are skipped and reported (a link could
 * make the walk loop).
 */
export async function collectFiles(
  paths: readonly string[],
  folder: string,
  cwd: string,
): Promise<{ files: LocalFile[]; skipped: Skipped[] }> {
  const files: LocalFile[] = [];
  const skipped: Skipped[] = [];

  const add = (path: string, prefix: string, size: number) => {
    const filename = basename(path);
    files.push({ path, prefix, filename, name: `${prefix}${filename}`, size });
  };

  async function walk(dir: string, prefix: string): Promise<void> {
    let entries;
    try {
      entries = [];
      for await (const entry of await opendir(dir)) entries.push(entry);
    } catch (error) {
      throw localError(`cannot read the folder ${dir}: ${(error as Error).message}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path, `${prefix}${entry.name}/`);
      else if (entry.isFile()) add(path, prefix, (await statOf(path)).size);
      else if (entry.isSymbolicLink()) {
        const target = await stat(path).catch(() => undefined);
        if (target?.isFile()) add(path, prefix, target.size);
        else skipped.push({ path, reason: target ? 'a link to a folder' : 'a broken link' });
      } else skipped.push({ path, reason: 'not a file or folder' });
    }
  }

  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw usageError(`no such file or folder: ${path}`);
    if (info.isFile()) add(path, folder, info.size);
    else if (info.isDirectory()) await walk(path, `${folder}${basename(absolute)}/`);
    else throw usageError(`not a file or folder: ${path}`);
  }
  return { files, skipped };
}

async function statOf(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    throw localError(`cannot read ${path}: ${(error as Error).message}`);
  }
}
