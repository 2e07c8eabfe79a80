/**
 * Name arithmetic the catalogue drivers share. Names are already validated
 * and normalised (files/names.ts) when they get here.
 */

/** The folder a name is directly in: "a/b/c" → "a/b/", "c" → "". */
export function parentOf(name: string): string {
  return name.slice(0, name.lastIndexOf('/') + 1);
}

/** Every folder a name or folder path is in, outermost first, as paths: "a/b/c" → ["", "a/", "a/b/"]. */
export function foldersOf(name: string): string[] {
  const parts = name.replace(/\/$/, '').split('/');
  return parts.map((_, i) => (i === 0 ? '' : `${parts.slice(0, i).join('/')}/`));
}

/** The first string greater than every name inside folder `prefix` ("a/" → "a0"; '' → none). */
export function folderEnd(prefix: string): string | undefined {
  return prefix === '' ? undefined : `${prefix.slice(0, -1)}0`;
}

const mark = /\p{M}/u;

/**
 * The form names are searched in: case and accents ignored ("Écolé" →
 * "ecole"). Character by character, so the fold of "a/" + "b" is the fold
 * of "a/" followed by the fold of "b": a folder move rewrites folded names
 * by their prefix.
 */
export function searchFold(text: string): string {
  let folded = '';
  for (const char of text.normalize('NFD')) {
    if (mark.test(char)) continue;
    // Lower-casing can itself add a mark ("İ" → "i" + U+0307).
    for (const lower of char.toLowerCase().normalize('NFD')) if (!mark.test(lower)) folded += lower;
  }
  return folded;
}

/** A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped (ESCAPE '\'). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** How many files a folder gains (or, negative, loses): in all, and directly in it. */
export interface FolderDelta {
  readonly path: string;
  /** Its own folder's path; undefined for the top. */
  readonly parent: string | undefined;
  files: number;
  direct: number;
}

/**
 * The folder counts that change when files with these names appear (+1) or
 * go (-1): every folder a name is in, the top included. Sorted by path, so
 * that writers update (and lock) folder rows in one order.
 */
export function folderDeltas(
  changes: ReadonlyArray<readonly [name: string, delta: number]>,
): FolderDelta[] {
  const deltas = new Map<string, FolderDelta>();
  for (const [name, delta] of changes) {
    const direct = parentOf(name);
    for (const path of foldersOf(name)) {
      let entry = deltas.get(path);
      if (!entry) {
        entry = {
          path,
          parent: path === '' ? undefined : parentOf(path.slice(0, -1)),
          files: 0,
          direct: 0,
        };
        deltas.set(path, entry);
      }
      entry.files += delta;
      if (path === direct) entry.direct += delta;
    }
  }
  return [...deltas.values()]
    .filter((entry) => entry.files !== 0 || entry.direct !== 0)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
