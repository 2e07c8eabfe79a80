import type { FileRecord, UsageGroup } from '../catalogue/Catalogue.ts';

/** A folder's files and bytes: directly in it, and with its subfolders. */
export interface FolderUsage {
  readonly owner: string;
  /** Path ending in '/', '' for the owner's top level. */
  readonly folder: string;
  readonly files: number;
  readonly bytes: number;
  readonly allFiles: number;
  readonly allBytes: number;
}

/** "photos/2024/beach.jpg" → "photos/2024/"; a top-level file → "". */
export const folderOf = (name: string) => name.slice(0, name.lastIndexOf('/') + 1);

const largestFirst = (a: UsageGroup, b: UsageGroup) =>
  b.bytes - a.bytes || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function addTo(groups: Map<string, { files: number; bytes: number }>, key: string, bytes: number) {
  const group = groups.get(key);
  if (group) {
    group.files += 1;
    group.bytes += bytes;
  } else groups.set(key, { files: 1, bytes });
}

/**
 * The report's totals, counted from the very rows it lists, so that every
 * sheet adds up to the same files and bytes. Memory grows with the number
 * of content types, owners and folders, never with the number of files.
 */
export class UsageTally {
  files = 0;
  bytes = 0;
  readonly #types = new Map<string, { files: number; bytes: number }>();
  readonly #owners = new Map<string, { files: number; bytes: number }>();
  /** Keyed by owner, a NUL (in no name), and folder path. */
  readonly #folders = new Map<string, { files: number; bytes: number }>();

  add(file: FileRecord): void {
    this.files += 1;
    this.bytes += file.size;
    addTo(this.#types, file.contentType, file.size);
    addTo(this.#owners, file.owner, file.size);
    addTo(this.#folders, `${file.owner}\0${folderOf(file.name)}`, file.size);
  }

  /** Content types, the most bytes first. */
  byType(): UsageGroup[] {
    return [...this.#types].map(([key, group]) => ({ key, ...group })).sort(largestFirst);
  }

  /** Owners (ids), the most bytes first. */
  byOwner(): UsageGroup[] {
    return [...this.#owners].map(([key, group]) => ({ key, ...group })).sort(largestFirst);
  }

  /**
   * Every folder that holds files, directly or below, in owner then path
   * order (a folder before its subfolders, as names sort byte by byte).
   */
  byFolder(): FolderUsage[] {
    const all = new Map<string, { files: number; bytes: number }>();
    for (const [key, direct] of this.#folders) {
      const [owner = '', folder = ''] = key.split('\0');
      // The folder itself and each folder above it, up to the top level ('').
      for (let end = folder.length; ; end = folder.lastIndexOf('/', end - 2) + 1) {
        const above = `${owner}\0${folder.slice(0, end)}`;
        const sum = all.get(above) ?? { files: 0, bytes: 0 };
        sum.files += direct.files;
        sum.bytes += direct.bytes;
        all.set(above, sum);
        if (end === 0) break;
      }
    }
    return [...all.keys()].sort(byteOrder).map((key) => {
      const [owner = '', folder = ''] = key.split('\0');
      const direct = this.#folders.get(key);
      const below = all.get(key) ?? { files: 0, bytes: 0 };
      return {
        owner,
        folder,
        files: direct?.files ?? 0,
        bytes: direct?.bytes ?? 0,
        allFiles: below.files,
        allBytes: below.bytes,
      };
    });
  }
}

/** Byte order of UTF-8, the order the catalogue lists names in (JS compares UTF-16 units). */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
